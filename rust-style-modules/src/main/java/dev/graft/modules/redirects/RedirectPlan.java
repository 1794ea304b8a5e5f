package dev.graft.modules.redirects;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.regex.PcreRegex;
import dev.graft.bridge.regex.RegexOptions;
import dev.graft.modules.lua.ConfigProblems;
import dev.graft.modules.lua.LuaText;
import dev.graft.modules.lua.LuaValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules compiled once per settings, as the Lua module's {@code compile(conf)}: broken rules
 * dropped with an ERR message each, patterns compiled.
 *
 * @param rules    the usable rules, in order
 * @param problems the messages for the skipped rules
 */
public record RedirectPlan(List<CompiledRule> rules, ConfigProblems problems) {

    private static final Set<Double> STATUSES = Set.of(301.0, 302.0, 303.0, 307.0, 308.0);
    private static final Map<String, CompiledRule.Kind> KINDS = Map.of(
            "exact", CompiledRule.Kind.EXACT, "prefix", CompiledRule.Kind.PREFIX, "regex", CompiledRule.Kind.REGEX);
    private static final RegexOptions JO = options("jo");
    private static final RegexOptions JOI = options("joi");

    public RedirectPlan {
        rules = List.copyOf(requireNonNull(rules, "rules"));
        requireNonNull(problems, "problems");
    }

    static RedirectPlan compile(List<RedirectRule> list) {
        List<CompiledRule> rules = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int i = 0;
        for (RedirectRule r : list) {
            i++;
            // r.match or "exact": false reads as absent too
            Object match = r.match().filter(m -> !Boolean.FALSE.equals(m)).orElse("exact");
            Optional<Double> status = r.status().isEmpty() ? Optional.of(301.0) : LuaValues.toNumber(r.status().get());
            CompiledRule.Kind kind = match instanceof String s ? KINDS.get(s) : null;
            if (kind == null) {
                problems.add(invalid(i, "match", LuaValues.toText(match), "exact, prefix or regex"));
            } else if (!nonEmptyString(r.from())) {
                problems.add(invalid(i, "from", LuaValues.toText(r.from()), "a non-empty string"));
            } else if (!nonEmptyString(r.to())) {
                problems.add(invalid(i, "to", LuaValues.toText(r.to()), "a non-empty string"));
            } else if (status.isEmpty() || !STATUSES.contains(status.get())) {
                problems.add(invalid(i, "status", LuaValues.toText(r.status()), "301, 302, 303, 307 or 308"));
            } else if (kind == CompiledRule.Kind.REGEX
                    && !(PcreRegex.compile("(?:" + r.from().get() + ")?", JO) instanceof PcreRegex.Compiled)) {
                // the Lua module checks the pattern once, wrapped so that it matches ""
                problems.add(invalid(i, "from", LuaValues.toText(r.from()), "a valid regular expression"));
            } else {
                boolean ignoreCase = Boolean.TRUE.equals(r.ignoreCase().orElse(null));
                String from = (String) r.from().get();
                Optional<PcreRegex.Result> regex = Optional.empty();
                if (kind == CompiledRule.Kind.REGEX) {
                    regex = Optional.of(PcreRegex.compile(from, ignoreCase ? JOI : JO));
                } else if (ignoreCase) {
                    from = LuaText.asciiLower(from);
                }
                boolean keepQuery = !Boolean.FALSE.equals(r.keepQuery().orElse(null));
                rules.add(new CompiledRule(kind, from, (String) r.to().get(), (int) (double) status.get(), keepQuery,
                        ignoreCase, regex));
            }
        }
        return new RedirectPlan(rules, new ConfigProblems(problems));
    }

    private static boolean nonEmptyString(Optional<Object> v) {
        return v.isPresent() && v.get() instanceof String s && !s.isEmpty();
    }

    private static String invalid(int i, String field, String value, String expected) {
        return "redirects: rules[" + i + "]." + field + ": " + value + " (expected: " + expected + "); rule skipped";
    }

    private static RegexOptions options(String letters) {
        try {
            return RegexOptions.parse(letters);
        } catch (RegexOptions.UnknownFlag e) {
            throw new AssertionError(e);
        }
    }
}
