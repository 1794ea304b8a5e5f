package dev.graft.bridge;

import java.util.List;
import java.util.Map;

/**
 * The declared {@code ngx.ctx} entries that stages hand to each other, one constant per field,
 * each with its one Lua/Java conversion. Porters add the keys their modules read or write.
 */
public final class CtxKeys {

    private CtxKeys() {}

    /** The customer the driver resolved for this request (pipeline.lua). */
    public static final CtxKey<String> CUSTOMER = CtxKey.of("customer", CtxType.TEXT);

    /** When the driver resolved the customer: ngx.now() at rewrite, in seconds (pipeline.lua). */
    public static final CtxKey<Double> REQUEST_START = CtxKey.of("request_start", CtxType.NUM);

    // ---- cache
    /**
     * The cache key, decided in rewrite (cache); read by accesslog. Bytes, not text: it holds the
     * raw query string, whose bytes need not be UTF-8, and Lua stages must read exactly the bytes
     * the Lua cache module would have stored.
     */
    public static final CtxKey<byte[]> CACHE_KEY = CtxKey.of("cache_key", CtxType.BYTES);
    /** Private to cache: the 1-based position of the rule that matched in rewrite, 0 for none. */
    public static final CtxKey<Long> CACHE_RULE = CtxKey.of("cache_rule", CtxType.INT);

    // ---- ip_rules
    /** The resolved client address in canonical text (ip_rules); read by ratelimit and router. */
    public static final CtxKey<String> CLIENT_IP = CtxKey.of("client_ip", CtxType.TEXT);

    // ---- auth
    /** The authenticated caller (auth). */
    public static final CtxKey<String> AUTH_USER = CtxKey.of("auth_user", CtxType.TEXT);

    // ---- cors
    /** The Access-Control-Allow-Origin value for this request; absent when not allowed (cors). */
    public static final CtxKey<String> CORS_ORIGIN = CtxKey.of("cors_origin", CtxType.TEXT);
    /** Whether cors' access phase ran for this request. */
    public static final CtxKey<Boolean> CORS_CHECKED = CtxKey.of("cors_checked", CtxType.BOOL);
    /** Whether cors answered this request as a preflight. */
    public static final CtxKey<Boolean> CORS_PREFLIGHT = CtxKey.of("cors_preflight", CtxType.BOOL);

    // ---- router
    /** The name of the route that decided the upstream (router). */
    public static final CtxKey<String> ROUTE = CtxKey.of("route", CtxType.TEXT);
    /** The sticky cookie the router's header_filter sends (router). */
    public static final CtxKey<String> ROUTER_SET_COOKIE = CtxKey.of("router_set_cookie", CtxType.TEXT);

    // ---- waf (written in access)
    /** Matched rule ids, in rule order; an empty list when none matched (waf). */
    public static final CtxKey<List<Long>> WAF_MATCHES = CtxKey.of("waf_matches", CtxType.INT_LIST);
    /** The request's anomaly score (waf). */
    public static final CtxKey<Long> WAF_SCORE = CtxKey.of("waf_score", CtxType.INT);

    // ---- ratelimit (written in access, read in header_filter)
    /** {@code {rule = <name>, limit = <n>, remaining = <n>, reset = <seconds>}}: a String and Longs (ratelimit). */
    public static final CtxKey<Map<String, Object>> RATELIMIT = CtxKey.of("ratelimit", CtxType.FIELDS);
}
