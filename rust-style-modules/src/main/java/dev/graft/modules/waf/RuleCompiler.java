package dev.graft.modules.waf;

import dev.graft.bridge.regex.PcreRegex;
import dev.graft.bridge.regex.RegexOptions;
import dev.graft.modules.lua.LuaText;
import dev.graft.modules.lua.LuaValues;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * compile_rule of waf/handler.lua: a rule table (built-in or custom, in decoded-JSON shape) to
 * a {@link WafRule}, or the reason the Lua module logs when it drops the rule. Checks run in
 * the Lua order, so the first problem reported is the same.
 */
final class RuleCompiler {

    /** A rule, or why it is dropped. */
    sealed interface Result {}

    record Compiled(WafRule rule) implements Result {}

    record Dropped(String why) implements Result {}

    /**
     * A rule whose flags ngx.re does not know: OpenResty raises a Lua error there, so every
     * request of the customer fails. Java refuses such settings at load instead.
     */
    static final class UnknownFlags extends Exception {
        UnknownFlags(String message) {
            super(message, null, false, false);
        }
    }

    private RuleCompiler() {}

    /**
     * @param r    the rule table
     * @param conf the customer's settings by JSON key ({@code conf[r.limit_conf]}); null when absent
     */
    static Result compile(Object r, Function<String, Object> conf) throws UnknownFlags {
        if (!(r instanceof Map<?, ?> m)) {
            return new Dropped("not an object");
        }
        Object id = LuaValues.field(m, "id");
        if (!LuaValues.intIn(id, 1)) {
            return new Dropped("id: " + LuaValues.tostring(id) + " (expected: an integer from 1 to 2147483647)");
        }
        Object opName = LuaValues.or(LuaValues.field(m, "operator"), "rx");
        Optional<WafRule.Operator> op = WafRule.Operator.byName(opName);
        if (op.isEmpty()) {
            return new Dropped("operator: " + LuaValues.tostring(opName) + " (expected: rx, !rx, absent, gt or len_gt)");
        }
        Object targetsValue = LuaValues.field(m, "targets");
        if (!(targetsValue instanceof List<?> targetList) || targetList.isEmpty()) {
            return new Dropped("targets: (expected: a non-empty list)");
        }
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < targetList.size(); i++) {
            Object t = targetList.get(i);
            Optional<Target> target = Target.parse(t);
            if (target.isEmpty()) {
                return new Dropped("targets[" + (i + 1) + "]: " + LuaValues.tostring(t == null ? LuaValues.NULL : t)
                        + " (expected: a target name)");
            }
            targets.add(target.get());
        }

        Object flagsValue = LuaValues.or(LuaValues.field(m, "flags"), "jo");
        if (!(flagsValue instanceof String flags)) {
            return new Dropped("flags: " + LuaValues.tostring(flagsValue) + " (expected: ngx.re options)");
        }
        Optional<WafRule.Regex> regex = Optional.empty();
        if (op.get() == WafRule.Operator.RX || op.get() == WafRule.Operator.NOT_RX) {
            Object patternValue = LuaValues.field(m, "pattern");
            if (!(patternValue instanceof String pattern) || pattern.isEmpty()) {
                return new Dropped("pattern: (expected: a regular expression)");
            }
            RegexOptions options;
            try {
                options = RegexOptions.parse(flags);
            } catch (RegexOptions.UnknownFlag e) {
                throw new UnknownFlags("flags: " + flags + " (expected: ngx.re options; " + e.getMessage() + ")");
            }
            // without u, PCRE reads the pattern's bytes one by one, as it reads the subject
            String source = options.utf8() ? pattern : LuaText.bytes(pattern);
            switch (PcreRegex.compile(source, options)) {
                case PcreRegex.Failed f -> {
                    return new Dropped("pattern: " + pattern + " (expected: a valid regular expression; "
                            + f.message() + ")");
                }
                case PcreRegex.Compiled c -> regex = Optional.of(new WafRule.Regex(c.pattern(), options.anchored(),
                        options.utf8(), c.prefilter()));
            }
        }

        Object limit = LuaValues.field(m, "limit");
        Object limitConf = LuaValues.field(m, "limit_conf");
        if (limitConf instanceof String key) {
            Object override = conf.apply(key);
            if (override != null) {
                limit = override;
            }
        }
        if ((op.get() == WafRule.Operator.GT || op.get() == WafRule.Operator.LEN_GT) && !LuaValues.isNumber(limit)) {
            return new Dropped("limit: " + LuaValues.tostring(limit) + " (expected: a number)");
        }

        Object methodsValue = LuaValues.field(m, "methods");
        Optional<Set<String>> methods = Optional.empty();
        if (methodsValue != null) {
            if (methodsValue instanceof List<?> list) {
                Set<String> set = new HashSet<>();
                for (Object method : list) {
                    if (method instanceof String s) {
                        set.add(LuaText.bytes(s));
                    }
                }
                methods = Optional.of(set);
            } else if (methodsValue instanceof Map<?, ?>) {
                // a table without a sequence part: no method is listed, the rule never applies
                methods = Optional.of(Set.of());
            } else {
                return new Dropped("methods: (expected: a list of methods)");
            }
        }

        Object transformsValue = LuaValues.field(m, "transforms");
        List<WafRule.Transform> transforms = new ArrayList<>();
        if (transformsValue != null) {
            if (transformsValue instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    Object tr = list.get(i);
                    Optional<WafRule.Transform> t = WafRule.Transform.byName(tr);
                    if (t.isEmpty()) {
                        return new Dropped("transforms[" + (i + 1) + "]: " + LuaValues.tostring(tr == null ? LuaValues.NULL : tr)
                                + " (expected: urldecode, lowercase, compress_ws or remove_nulls)");
                    }
                    transforms.add(t.get());
                }
            } else if (!(transformsValue instanceof Map<?, ?>)) {
                return new Dropped("transforms: (expected: a list)");
            }
        }

        Object score = LuaValues.field(m, "score");
        if (!LuaValues.intIn(score, 0) || LuaValues.number(score) > 1000) {
            return new Dropped("score: " + LuaValues.tostring(score) + " (expected: an integer from 0 to 1000)");
        }

        double limitNumber = LuaValues.isNumber(limit) ? LuaValues.number(limit) : 0;
        return new Compiled(new WafRule((long) LuaValues.number(id), op.get(), targets, regex, limitNumber, methods,
                transforms, (long) LuaValues.number(score)));
    }
}
