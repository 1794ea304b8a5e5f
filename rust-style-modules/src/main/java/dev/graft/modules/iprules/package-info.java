/**
 * ip_rules in Java: per-customer CIDR allow and deny lists (IPv4 and IPv6), with the client
 * address taken from a trusted proxy's X-Forwarded-For chain and published as
 * {@code ngx.ctx.client_ip} in canonical text. A port of legacy-scripts/ip_rules/ (handler.lua,
 * addr.lua); that folder's README and cases are the specification.
 */
package dev.graft.modules.iprules;
