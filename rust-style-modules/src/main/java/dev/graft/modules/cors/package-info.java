/**
 * cors in Java: Cross-Origin Resource Sharing answered at the edge (exact origins, "*", anchored
 * ngx.re patterns, preflights, credentials, Vary: Origin), with the allowed origin handed on in
 * {@code ngx.ctx.cors_origin}. A port of legacy-scripts/cors/ (handler.lua); that folder's
 * README and cases are the specification.
 */
package dev.graft.modules.cors;
