/**
 * auth in Java: API keys (plain, md5 or sha1 digests), HTTP basic auth and HMAC-SHA1 signed URLs
 * with expiry, chosen by path; the caller goes to {@code ngx.ctx.auth_user} and the credential is
 * stripped before proxying. A port of legacy-scripts/auth/ (handler.lua, codec.lua); that
 * folder's README and cases are the specification.
 */
package dev.graft.modules.auth;
