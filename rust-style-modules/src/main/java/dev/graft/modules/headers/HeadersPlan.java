package dev.graft.modules.headers;

import static java.util.Objects.requireNonNull;

import dev.graft.modules.lua.ConfigProblems;
import dev.graft.modules.lua.LuaText;
import dev.graft.modules.lua.LuaValues;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The settings compiled once, as the Lua module's {@code compile(conf)}: sorted name lists,
 * the security headers in their order, and the ERR messages for what was ignored.
 *
 * @param requestRemove  names to clear, byte-sorted
 * @param requestSet     headers to replace, sorted by lower-cased name then bytes
 * @param requestAdd     headers to append to, same order
 * @param responseRemove response names to clear
 * @param responseSet    response headers to replace
 * @param responseAdd    response headers to append to
 * @param security       the security headers (name, one value), in the Lua module's order
 * @param hideServer     whether Server and X-Powered-By are removed
 * @param problems       the messages for ignored settings
 */
public record HeadersPlan(List<String> requestRemove, List<NameValues> requestSet, List<NameValues> requestAdd,
        List<String> responseRemove, List<NameValues> responseSet, List<NameValues> responseAdd,
        List<NameValues> security, boolean hideServer, ConfigProblems problems) {

    private static final Set<String> FRAME_OPTIONS = Set.of("DENY", "SAMEORIGIN");
    private static final Comparator<NameValues> BY_LOWER_NAME = Comparator
            .comparing((NameValues nv) -> LuaText.asciiLower(nv.name()))
            .thenComparing(NameValues::name);

    public HeadersPlan {
        requestRemove = List.copyOf(requestRemove);
        requestSet = List.copyOf(requestSet);
        requestAdd = List.copyOf(requestAdd);
        responseRemove = List.copyOf(responseRemove);
        responseSet = List.copyOf(responseSet);
        responseAdd = List.copyOf(responseAdd);
        security = List.copyOf(security);
        requireNonNull(problems, "problems");
    }

    /** Whether rewrite has anything to do. */
    boolean hasRequestEdits() {
        return !requestRemove.isEmpty() || !requestSet.isEmpty() || !requestAdd.isEmpty();
    }

    static HeadersPlan compile(HeaderEdits req, HeaderEdits resp, Optional<Object> hsts, Optional<Object> nosniff,
            Optional<Object> frameOptions, Optional<Object> csp, Optional<Object> referrerPolicy,
            Optional<Object> removeServerHeaders) {
        List<String> problems = new ArrayList<>();
        List<String> reqRemove = names("request.remove", req.remove(), problems);
        List<NameValues> reqSet = nameValues("request.set", req.set(), problems);
        List<NameValues> reqAdd = nameValues("request.add", req.add(), problems);
        List<String> respRemove = names("response.remove", resp.remove(), problems);
        List<NameValues> respSet = nameValues("response.set", resp.set(), problems);
        List<NameValues> respAdd = nameValues("response.add", resp.add(), problems);

        List<NameValues> security = new ArrayList<>();
        hstsValue(hsts, problems).ifPresent(v -> security.add(one("Strict-Transport-Security", v)));
        if (LuaValues.truthy(nosniff)) {
            security.add(one("X-Content-Type-Options", "nosniff"));
        }
        if (frameOptions.isPresent()) {
            if (frameOptions.get() instanceof String fo && FRAME_OPTIONS.contains(fo)) {
                security.add(one("X-Frame-Options", fo));
            } else {
                problems.add("headers: frame_options: " + LuaValues.toText(frameOptions)
                        + " (expected: DENY or SAMEORIGIN)");
            }
        }
        if (csp.isPresent() && csp.get() instanceof String s && !s.isEmpty()) {
            security.add(one("Content-Security-Policy", s));
        }
        if (referrerPolicy.isPresent() && referrerPolicy.get() instanceof String s && !s.isEmpty()) {
            security.add(one("Referrer-Policy", s));
        }
        boolean hideServer = !Boolean.FALSE.equals(removeServerHeaders.orElse(null));
        return new HeadersPlan(reqRemove, reqSet, reqAdd, respRemove, respSet, respAdd, security, hideServer,
                new ConfigProblems(problems));
    }

    private static NameValues one(String name, String value) {
        return new NameValues(name, List.of(value));
    }

    /** A list of names: non-empty strings kept, byte-sorted; an object (Lua: a table) gives none. */
    private static List<String> names(String where, Optional<Object> list, List<String> problems) {
        List<String> out = new ArrayList<>();
        if (list.isEmpty()) {
            return out;
        }
        if (!LuaValues.isTable(list.get())) {
            problems.add("headers: " + where + ": " + LuaValues.toText(list) + " (expected: a list of header names)");
            return out;
        }
        if (list.get() instanceof List<?> l) {
            for (Object name : l) {
                if (name instanceof String s && !s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** {name = value | {values}} to sorted name/values; a JSON array gives integer keys, each refused. */
    private static List<NameValues> nameValues(String where, Optional<Object> obj, List<String> problems) {
        List<NameValues> out = new ArrayList<>();
        if (obj.isEmpty()) {
            return out;
        }
        Object o = obj.get();
        if (!LuaValues.isTable(o)) {
            problems.add("headers: " + where + ": " + LuaValues.toText(o) + " (expected: an object of header names)");
            return out;
        }
        if (o instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                problems.add("headers: " + where + "." + (i + 1) + ": " + text(l.get(i))
                        + " (expected: a string or a list of strings)");
            }
            return out;
        }
        for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
            String name = String.valueOf(e.getKey());
            Optional<List<String>> values = values(e.getValue());
            if (name.isEmpty() || values.isEmpty()) {
                problems.add("headers: " + where + "." + name + ": " + text(e.getValue())
                        + " (expected: a string or a list of strings)");
            } else {
                out.add(new NameValues(name, values.get()));
            }
        }
        out.sort(BY_LOWER_NAME);
        return out;
    }

    /** A value's lines: a list's elements as text, a scalar as text; an object (ipairs finds nothing) gives none. */
    private static Optional<List<String>> values(Object v) {
        if (v instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            for (Object x : l) {
                out.add(text(x));
            }
            return Optional.of(out);
        }
        if (v instanceof Map<?, ?>) {
            return Optional.of(List.of());
        }
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            return Optional.of(List.of(LuaValues.toText(v)));
        }
        return Optional.empty(); // JSON null: ngx.null in Lua
    }

    /** tostring of a JSON value; JSON null is ngx.null in Lua. */
    private static String text(Object v) {
        return v == null ? "userdata: NULL" : LuaValues.toText(v);
    }

    private static Optional<String> hstsValue(Optional<Object> hsts, List<String> problems) {
        if (hsts.isEmpty() || Boolean.FALSE.equals(hsts.get())) {
            return Optional.empty();
        }
        Object h = hsts.get();
        Map<?, ?> fields;
        if (Boolean.TRUE.equals(h) || h instanceof List<?>) {
            fields = Map.of();
        } else if (h instanceof Map<?, ?> m) {
            fields = m;
        } else {
            problems.add("headers: hsts: " + LuaValues.toText(h) + " (expected: an object or true)");
            return Optional.empty();
        }
        Object maxAge = fields.containsKey("max_age") ? fields.get("max_age") : Integer.valueOf(31536000);
        // bounded to 32 bits: some hosts' %d wraps above
        if (!(maxAge instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() % 1 != 0
                || n.doubleValue() > 2147483647) {
            problems.add("headers: hsts.max_age: " + text(maxAge) + " (expected: whole seconds >= 0)");
            return Optional.empty();
        }
        String v = "max-age=" + (long) ((Number) maxAge).doubleValue();
        if (LuaValues.truthy(Optional.ofNullable(fields.get("include_subdomains")))) {
            v += "; includeSubDomains";
        }
        if (LuaValues.truthy(Optional.ofNullable(fields.get("preload")))) {
            v += "; preload";
        }
        return Optional.of(v);
    }
}
