package dev.graft.modules.waf;

import dev.graft.bridge.regex.LiteralPrefilter;
import dev.graft.modules.lua.LuaText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Matching (waf/handler.lua's rule_matches / value_matches / transform): every rule in order,
 * each adding its score once when one of its targets' values matches.
 */
final class Rules {

    /** The matched rule ids in rule order and their total score. */
    record Verdict(List<Long> matches, long score) {
        Verdict {
            matches = List.copyOf(matches);
        }
    }

    private Rules() {}

    static Verdict match(RulePlan plan, RequestParts request) {
        List<Long> matches = new ArrayList<>();
        long score = 0;
        ValueMemo memo = new ValueMemo(request, plan.targets());
        List<WafRule> rules = plan.rules();
        for (int r = 0, n = rules.size(); r < n; r++) {
            WafRule rule = rules.get(r);
            if (matches(plan, r, rule, request, memo)) {
                matches.add(rule.id());
                score += rule.score();
            }
        }
        return new Verdict(matches, score);
    }

    private static boolean matches(RulePlan plan, int r, WafRule rule, RequestParts request, ValueMemo memo) {
        if (rule.methods().isPresent() && !rule.methods().get().contains(request.method())) {
            return false;
        }
        List<Target> targets = rule.targets();
        for (int t = 0, nt = targets.size(); t < nt; t++) {
            int slot = plan.slot(r, t);
            String[] values = memo.values(slot);
            if (rule.operator() == WafRule.Operator.ABSENT) {
                if (values.length == 0) {
                    return true;
                }
                continue;
            }
            for (int i = 0; i < values.length; i++) {
                if (valueMatches(rule, slot, i, values[i], memo)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Value {@code i} of the target in {@code slot} against the rule. */
    private static boolean valueMatches(WafRule rule, int slot, int i, String value, ValueMemo memo) {
        return switch (rule.operator()) {
            case RX -> find(rule.regex().orElseThrow(), rule.transforms(), slot, i, value, memo);
            case NOT_RX -> !find(rule.regex().orElseThrow(), rule.transforms(), slot, i, value, memo);
            // decimal digits only: tonumber would also take "0x10" or " 5"
            case GT -> {
                String v = memo.transformed(value, rule.transforms());
                yield allDigits(v) && Double.parseDouble(v) > rule.limit();
            }
            case LEN_GT -> memo.transformed(value, rule.transforms()).length() > rule.limit();
            case ABSENT -> false;
        };
    }

    private static boolean find(WafRule.Regex regex, List<WafRule.Transform> transforms, int slot, int i, String value,
            ValueMemo memo) {
        if (transforms.isEmpty() && !regex.utf8()) {
            // the common case: the value as it is, with the sketch kept for its slot
            Optional<LiteralPrefilter> prefilter = regex.prefilter();
            if (prefilter.isPresent() && !prefilter.get().mayMatch(value, memo.sketch(slot, i))) {
                return false;
            }
            return run(regex, value);
        }
        return find(regex, memo.transformed(value, transforms), memo);
    }

    /**
     * {@code ngx.re.find(v, pattern, flags) ~= nil}. An exec error finds nothing, as in Lua where
     * find returns nil and the error: a subject that is not UTF-8 under {@code u}, a match over
     * the read budget, a recursion too deep for java.util.regex. A subject the prefilter rejects
     * has no match: answered without the matcher, exactly as Graft's ngx.re does it.
     */
    static boolean find(WafRule.Regex regex, String v) {
        return find(regex, v, new ValueMemo());
    }

    private static boolean find(WafRule.Regex regex, String v, ValueMemo memo) {
        String subject = v;
        if (regex.utf8()) {
            Optional<String> decoded = memo.utf8(v);
            if (decoded.isEmpty()) {
                return false; // PCRE: bad UTF-8 string, ngx.re.find returns nil and an error
            }
            subject = decoded.get();
        }
        Optional<LiteralPrefilter> prefilter = regex.prefilter();
        if (prefilter.isPresent() && !prefilter.get().mayMatch(subject, memo.sketch(subject))) {
            return false;
        }
        return run(regex, subject);
    }

    /** The matcher, as Graft's ngx.re runs it: a read budget, and deep recursion reported as an error. */
    private static boolean run(WafRule.Regex regex, String subject) {
        Matcher m = regex.pattern().matcher(new MatchBudget(subject, MatchBudget.MATCH_LIMIT));
        m.useTransparentBounds(true);
        m.useAnchoringBounds(false);
        try {
            return regex.anchored() ? m.lookingAt() : m.find();
        } catch (MatchBudget.Spent | StackOverflowError e) {
            return false; // ngx.re.find returns nil and "pcre_exec() failed: -8"
        }
    }

    private static boolean allDigits(String v) {
        if (v.isEmpty()) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    static String transform(String v, List<WafRule.Transform> transforms) {
        for (WafRule.Transform t : transforms) {
            v = switch (t) {
                case URLDECODE -> LuaText.unescapeUri(v);
                case LOWERCASE -> LuaText.asciiLower(v);
                case COMPRESS_WS -> compressSpace(v);
                case REMOVE_NULLS -> v.indexOf('\0') < 0 ? v : v.replace("\0", "");
            };
        }
        return v;
    }

    /** {@code string.gsub(v, "%s+", " ")}. */
    private static String compressSpace(String v) {
        StringBuilder b = new StringBuilder(v.length());
        boolean inSpace = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (LuaText.isSpace(c)) {
                if (!inSpace) {
                    b.append(' ');
                }
                inSpace = true;
            } else {
                b.append(c);
                inSpace = false;
            }
        }
        return b.toString();
    }
}
