/**
 * router in Java: picks the upstream by host, method and path (routes in order), with weighted
 * sticky pools chosen by CRC-32 (no randomness, so nginx and Graft agree), object-store bucket
 * routes rewritten with set_uri, and maintenance pages. A port of legacy-scripts/router/
 * (handler.lua, balancer.lua); that folder's README and cases are the specification.
 */
package dev.graft.modules.router;
