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

    static Verdict match(List<WafRule> rules, RequestParts request) {
        List<Long> matches = new ArrayList<>();
        long score = 0;
        ValueMemo memo = new ValueMemo();
        for (WafRule rule : rules) {
            if (matches(rule, request, memo)) {
                matches.add(rule.id());
                score += rule.score();
            }
        }
        return new Verdict(matches, score);
    }

    static boolean matches(WafRule rule, RequestParts request) {
        return matches(rule, request, new ValueMemo());
    }

    private static boolean matches(WafRule rule, RequestParts request, ValueMemo memo) {
        if (rule.methods().isPresent() && !rule.methods().get().contains(request.method())) {
            return false;
        }
        for (Target target : rule.targets()) {
            List<String> values = request.values(target);
            if (rule.operator() == WafRule.Operator.ABSENT) {
                if (values.isEmpty()) {
                    return true;
                }
                continue;
            }
            for (int i = 0, n = values.size(); i < n; i++) {
                if (valueMatches(rule, values.get(i), memo)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean valueMatches(WafRule rule, String value) {
        return valueMatches(rule, value, new ValueMemo());
    }

    private static boolean valueMatches(WafRule rule, String value, ValueMemo memo) {
        String v = memo.transformed(value, rule.transforms());
        return switch (rule.operator()) {
            case RX -> find(rule.regex().orElseThrow(), v, memo);
            case NOT_RX -> !find(rule.regex().orElseThrow(), v, memo);
            // decimal digits only: tonumber would also take "0x10" or " 5"
            case GT -> allDigits(v) && Double.parseDouble(v) > rule.limit();
            case LEN_GT -> v.length() > rule.limit();
            case ABSENT -> false;
        };
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
        if (prefilter.isPresent() && !prefilter.get().mayMatch(subject)) {
            return false;
        }
        // as Graft's ngx.re runs it: a read budget, and deep recursion reported as an error
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
