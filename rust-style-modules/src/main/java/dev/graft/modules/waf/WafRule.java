package dev.graft.modules.waf;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.regex.LiteralPrefilter;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated rule, ready to match: what compile_rule of waf/handler.lua returns, with its
 * pattern compiled once by PcreRegex.
 *
 * @param id         rule id
 * @param operator   how a value matches
 * @param targets    where to look, in order
 * @param regex      for rx / !rx
 * @param limit      for gt / len_gt (after limit_conf)
 * @param methods    the methods the rule applies to (Lua byte strings); empty: all
 * @param transforms applied to each value before matching, in order
 * @param score      points added on a match
 */
record WafRule(long id, Operator operator, List<Target> targets, Optional<Regex> regex, double limit,
        Optional<Set<String>> methods, List<Transform> transforms, long score) {

    WafRule {
        requireNonNull(operator, "operator");
        targets = List.copyOf(targets);
        requireNonNull(regex, "regex");
        requireNonNull(methods, "methods");
        transforms = List.copyOf(transforms);
    }

    enum Operator {
        RX("rx"), NOT_RX("!rx"), ABSENT("absent"), GT("gt"), LEN_GT("len_gt");

        private final String luaName;

        Operator(String luaName) {
            this.luaName = luaName;
        }

        static Optional<Operator> byName(Object name) {
            for (Operator o : values()) {
                if (o.luaName.equals(name)) {
                    return Optional.of(o);
                }
            }
            return Optional.empty();
        }
    }

    enum Transform {
        URLDECODE("urldecode"), LOWERCASE("lowercase"), COMPRESS_WS("compress_ws"), REMOVE_NULLS("remove_nulls");

        private final String luaName;

        Transform(String luaName) {
            this.luaName = luaName;
        }

        static Optional<Transform> byName(Object name) {
            for (Transform t : values()) {
                if (t.luaName.equals(name)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * A compiled ngx.re pattern: {@code anchored} is the {@code a} option (match at the start
     * only); with {@code utf8} ({@code u}) subjects are matched as decoded UTF-8 text. The
     * {@code prefilter}, when there is one, rejects subjects that cannot match without running
     * the matcher (the same one ngx.re uses on the Lua side).
     */
    record Regex(Pattern pattern, boolean anchored, boolean utf8, Optional<LiteralPrefilter> prefilter) {
        Regex {
            requireNonNull(pattern, "pattern");
            requireNonNull(prefilter, "prefilter");
        }
    }
}
