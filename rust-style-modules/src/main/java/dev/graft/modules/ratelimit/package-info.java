/**
 * ratelimit: per-customer request rate limits (fixed and sliding windows) over the shared dict
 * {@code ratelimit}, with RateLimit-* headers and a 429 refusal. The Java port of
 * legacy-scripts/ratelimit/ (handler.lua, README.md, cases/): same counter keys, TTLs and
 * {@code incr} calls, so counters carry over when the module changes side.
 */
package dev.graft.modules.ratelimit;
