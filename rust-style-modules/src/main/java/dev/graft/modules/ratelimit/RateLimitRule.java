package dev.graft.modules.ratelimit;

import static java.util.Objects.requireNonNull;

import dev.graft.modules.lua.LuaText;
import dev.graft.modules.lua.LuaValues;
import java.util.Map;
import java.util.Optional;

/**
 * One validated rule of a customer's limits: what it counts by, where it applies, how many
 * requests per window and with which algorithm.
 *
 * @param name   names the rule in {@code ngx.ctx.ratelimit}, logs and counter keys
 * @param key    what is counted
 * @param prefix the rule applies only under this plain path prefix (a byte string: one char per
 *               byte of its UTF-8); empty: everywhere
 * @param limit  requests per window, 1..2147483647
 * @param window seconds, 1..2147483647
 * @param algorithm fixed or sliding window
 */
public record RateLimitRule(String name, Key key, Optional<String> prefix, long limit, long window, Algorithm algorithm) {

    public RateLimitRule {
        requireNonNull(name, "name");
        requireNonNull(key, "key");
        requireNonNull(prefix, "prefix");
        requireNonNull(algorithm, "algorithm");
    }

    /** What a rule counts by. */
    public sealed interface Key {
        /** The client address (ip_rules' {@code client_ip}, else {@code $remote_addr}). */
        record Client() implements Key {}

        /** The path prefix, shared by every client. */
        record PathPrefix() implements Key {}

        /** The first value of a request header, by lower-case name; the client when absent or empty. */
        record Header(String name) implements Key {
            public Header {
                requireNonNull(name, "name");
            }
        }
    }

    public enum Algorithm { FIXED, SLIDING }

    /** A rule or why the Lua module ignores it (its log text without the prefix and suffix). */
    sealed interface Parsed {}

    record Valid(RateLimitRule rule) implements Parsed {}

    record Invalid(String why) implements Parsed {}

    /** {@code compile_rule(r, i)} of ratelimit/handler.lua; {@code i} counts from 1. */
    static Parsed parse(Object r, int i) {
        String field = "rules[" + i + "]";
        if (!(r instanceof Map<?, ?> m)) {
            return new Invalid(field + ": (expected: an object)");
        }
        Object nameValue = LuaValues.field(m, "name");
        String name = nameValue instanceof String s && !s.isEmpty() ? s : "rule" + i;

        Object keyValue = LuaValues.or(LuaValues.field(m, "key"), "client");
        Key key;
        if ("client".equals(keyValue)) {
            key = new Key.Client();
        } else if ("path_prefix".equals(keyValue)) {
            key = new Key.PathPrefix();
        } else if (keyValue instanceof String s && s.startsWith("header:") && s.length() > "header:".length()) {
            key = new Key.Header(LuaText.asciiLower(s.substring("header:".length())));
        } else {
            return new Invalid(field + ".key: " + LuaValues.tostring(keyValue)
                    + " (expected: client, path_prefix or header:<Name>)");
        }
        Object limit = LuaValues.field(m, "limit");
        if (!LuaValues.intIn(limit, 1)) {
            return new Invalid(field + ".limit: " + LuaValues.tostring(limit)
                    + " (expected: an integer from 1 to 2147483647)");
        }
        Object window = LuaValues.field(m, "window");
        if (!LuaValues.intIn(window, 1)) {
            return new Invalid(field + ".window: " + LuaValues.tostring(window)
                    + " (expected: seconds, an integer from 1 to 2147483647)");
        }
        Object algorithmValue = LuaValues.or(LuaValues.field(m, "algorithm"), "fixed");
        Algorithm algorithm;
        if ("fixed".equals(algorithmValue)) {
            algorithm = Algorithm.FIXED;
        } else if ("sliding".equals(algorithmValue)) {
            algorithm = Algorithm.SLIDING;
        } else {
            return new Invalid(field + ".algorithm: " + LuaValues.tostring(algorithmValue)
                    + " (expected: fixed or sliding)");
        }
        Object prefixValue = LuaValues.field(m, "match_prefix");
        Optional<String> prefix = Optional.empty();
        if (prefixValue != null) {
            if (!(prefixValue instanceof String s) || s.isEmpty()) {
                return new Invalid(field + ".match_prefix: " + LuaValues.tostring(prefixValue)
                        + " (expected: a path prefix)");
            }
            // compared with $uri byte for byte, as Lua's string.sub does
            prefix = Optional.of(LuaText.bytes(s));
        }
        return new Valid(new RateLimitRule(name, key, prefix, (long) LuaValues.number(limit),
                (long) LuaValues.number(window), algorithm));
    }

}
