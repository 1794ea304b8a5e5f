package dev.graft.modules.cors;

import dev.graft.modules.lua.ConfigProblems;
import dev.graft.modules.lua.LuaText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The {@code cors} settings of a customer (legacy-scripts/cors/README.md) with the Lua module's
 * defaults; JSON {@code null} is absent. Settings text is held as Lua holds it (UTF-8 bytes, one
 * char each). Entries the Lua module logs and ignores (not a non-empty string, a pattern that
 * does not compile) stay in the lists as values and are skipped; {@link #problems()} words them
 * as its log lines.
 *
 * @param origins         allowed origins, exact (case-insensitive) or "*"; default none
 * @param originPatterns  allowed origins as anchored ngx.re patterns on the lower-cased origin
 * @param methods         methods a preflight may ask for (case-sensitive); default GET, HEAD,
 *                        POST, PUT, PATCH, DELETE
 * @param headers         request headers a preflight may ask for; absent: reflect the requested
 * @param exposeHeaders   Access-Control-Expose-Headers of actual responses; default none
 * @param credentials     send Access-Control-Allow-Credentials: true; default false
 * @param maxAge          Access-Control-Max-Age of preflights; default 600; negative omits it
 * @param preflightStatus status of an answered preflight; default 204
 * @param loadProblems    derived, never read from JSON: the lines the Lua module logs when it
 *                        compiles these settings, written once by the first request
 * @param plan            derived, never read from JSON: the compiled values requests read
 */
public record CorsConfig(
        Optional<List<String>> origins,
        Optional<List<OriginPattern>> originPatterns,
        Optional<List<String>> methods,
        Optional<List<String>> headers,
        Optional<List<String>> exposeHeaders,
        Optional<Boolean> credentials,
        Optional<Integer> maxAge,
        Optional<Integer> preflightStatus,
        ConfigProblems loadProblems,
        CorsPlan plan) {

    static final List<String> DEFAULT_METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

    public CorsConfig {
        // exact origins compare in lower case; the answer echoes the request's Origin, not these
        origins = text(origins).map(l -> l.stream().map(o -> o == null ? null : LuaText.asciiLower(o))
                .collect(java.util.stream.Collectors.toCollection(ArrayList::new)))
                .map(Collections::unmodifiableList);
        originPatterns = LuaText.orEmpty(originPatterns).map(l -> Collections.unmodifiableList(new ArrayList<>(l)));
        methods = text(methods);
        headers = text(headers);
        exposeHeaders = text(exposeHeaders);
        credentials = LuaText.orEmpty(credentials);
        maxAge = LuaText.orEmpty(maxAge);
        preflightStatus = LuaText.orEmpty(preflightStatus);
        preflightStatus.ifPresent(s -> {
            if (s < 100 || s > 999) {
                throw new IllegalArgumentException("preflightStatus: " + s + " (expected: an HTTP status, 100..999)");
            }
        });
        loadProblems = new ConfigProblems(problems(origins, originPatterns, methods, headers, exposeHeaders));
        plan = CorsPlan.of(methods, headers, exposeHeaders, maxAge);
    }

    /** The settings as they come from JSON. */
    public CorsConfig(Optional<List<String>> origins, Optional<List<OriginPattern>> originPatterns,
            Optional<List<String>> methods, Optional<List<String>> headers, Optional<List<String>> exposeHeaders,
            Optional<Boolean> credentials, Optional<Integer> maxAge, Optional<Integer> preflightStatus) {
        this(origins, originPatterns, methods, headers, exposeHeaders, credentials, maxAge, preflightStatus, null, null);
    }

    /** The settings of {@code "cors": {}}. */
    public static CorsConfig defaults() {
        return new CorsConfig(null, null, null, null, null, null, null, null);
    }

    /** The list as Lua bytes; null and "" entries kept in place (skipped when used, logged by problems). */
    private static Optional<List<String>> text(Optional<List<String>> list) {
        return LuaText.orEmpty(list).map(l -> {
            List<String> out = new ArrayList<>(l.size());
            for (String v : l) {
                out.add(v == null ? null : LuaText.bytes(v));
            }
            return Collections.unmodifiableList(out);
        });
    }

    static boolean usable(String v) {
        return v != null && !v.isEmpty();
    }

    /** Whether an exact origin (compared in ASCII lower case) is configured. */
    boolean exact(String lowerOrigin) {
        for (String o : origins.orElse(List.of())) {
            if (usable(o) && o.equals(lowerOrigin)) {
                return true;
            }
        }
        return false;
    }

    boolean any() {
        return exact("*");
    }

    boolean allowCredentials() {
        return credentials.orElse(false);
    }

    /** The methods a preflight may ask for; an empty list when configured empty. */
    List<String> methodList() {
        return plan.methods();
    }

    /** Access-Control-Allow-Headers when configured; empty: reflect the requested headers. */
    Optional<String> allowHeaders() {
        return plan.allowHeaders();
    }

    boolean headerAllowed(String lowerName) {
        return plan.headerSet().contains(lowerName);
    }

    Optional<String> expose() {
        return plan.expose();
    }

    Optional<String> maxAgeValue() {
        return plan.maxAge();
    }

    int preflight() {
        return preflightStatus.orElse(204);
    }

    /** The lines the Lua module logs at {@code error} when it first compiles these settings, in its order. */
    public List<String> problems() {
        return loadProblems.messages();
    }

    private static List<String> problems(Optional<List<String>> origins, Optional<List<OriginPattern>> originPatterns,
            Optional<List<String>> methods, Optional<List<String>> headers, Optional<List<String>> exposeHeaders) {
        List<String> out = new ArrayList<>();
        notStrings("origins", origins, out);
        originPatterns.ifPresent(l -> {
            for (int i = 0; i < l.size(); i++) {
                if (l.get(i) == null || l.get(i).source().isEmpty()) {
                    out.add("cors: origin_patterns[" + (i + 1) + "]: not a string, ignored");
                }
            }
            // numbered in the list of usable strings, as the Lua loop over string_list() does
            int n = 0;
            for (OriginPattern p : l) {
                if (p != null && !p.source().isEmpty()) {
                    n++;
                    if (p.error().isPresent()) {
                        out.add("cors: origin_patterns[" + n + "]: " + p.source() + " (expected: a regex; "
                                + p.error().get() + "), ignored");
                    }
                }
            }
        });
        notStrings("methods", methods, out);
        notStrings("headers", headers, out);
        notStrings("expose_headers", exposeHeaders, out);
        return out;
    }

    private static void notStrings(String field, Optional<List<String>> list, List<String> out) {
        list.ifPresent(l -> {
            for (int i = 0; i < l.size(); i++) {
                if (!usable(l.get(i))) {
                    out.add("cors: " + field + "[" + (i + 1) + "]: not a string, ignored");
                }
            }
        });
    }
}
