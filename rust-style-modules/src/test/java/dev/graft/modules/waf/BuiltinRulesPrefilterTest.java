package dev.graft.modules.waf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * The literal prefilter of every built-in rule is sound: a value it rejects is one the rule's
 * regex finds nothing in, so {@code rx} and {@code !rx} give what they gave without it. Values
 * are Lua byte strings made of fragments of the rule's pattern and of its literals, in random
 * case, with separators and bytes over 127.
 */
class BuiltinRulesPrefilterTest {

    private static final List<WafRule> RULES = WafConfig.defaults().policy().rules().stream()
            .filter(r -> r.regex().isPresent()).toList();

    private static final String SEPARATORS = " \t\r\n;|`'\"()<>=/\\%$.:,&#-\0\u00e9\u00ff";

    record Case(int rule, String value) {}

    private static List<String> pieces(WafRule rule, RuleSpec spec) {
        List<String> out = new ArrayList<>();
        String p = spec.pattern().orElseThrow();
        for (int k = 0; k < p.length(); k += 2) {
            out.add(p.substring(k, Math.min(p.length(), k + 2 + (k % 9))));
        }
        rule.regex().orElseThrow().prefilter().ifPresent(f -> f.clauses().forEach(c -> c.forEach(l -> {
            out.add(l.text());
            out.add(l.text().substring(0, (l.text().length() + 1) / 2));
            out.add(l.text().substring(l.text().length() / 2));
        })));
        for (char c : SEPARATORS.toCharArray()) {
            out.add(String.valueOf(c));
        }
        return out;
    }

    private static RuleSpec spec(WafRule rule) {
        return BuiltinRules.ALL.stream().filter(s -> s.id() == rule.id()).findFirst().orElseThrow();
    }

    private static String flipCase(String s, List<Boolean> flips) {
        StringBuilder b = new StringBuilder(s.length());
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            b.append(flips.get(k % flips.size()) ? (Character.isUpperCase(c) ? Character.toLowerCase(c)
                    : Character.toUpperCase(c)) : c);
        }
        return b.toString();
    }

    @Provide
    Arbitrary<Case> values() {
        return Arbitraries.integers().between(0, RULES.size() - 1).flatMap(i -> {
            WafRule rule = RULES.get(i);
            Arbitrary<String> piece = Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of(pieces(rule, spec(rule)))),
                    Tuple.of(1, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(4)));
            return Combinators.combine(piece.list().ofMaxSize(10), Arbitraries.of(true, false).list().ofMinSize(1)
                    .ofMaxSize(6)).as((parts, flips) -> flipCase(String.join("", parts), flips))
                    .filter(v -> v.chars().allMatch(c -> c < 256))
                    .map(v -> new Case(i, v));
        });
    }

    @Property(tries = 30000)
    void aValueThePrefilterRejectsHasNoMatch(@ForAll("values") Case c) {
        WafRule.Regex regex = RULES.get(c.rule()).regex().orElseThrow();
        Matcher m = regex.pattern().matcher(c.value());
        boolean found = regex.anchored() ? m.lookingAt() : m.find();
        boolean may = regex.prefilter().map(f -> f.mayMatch(c.value())).orElse(true);
        Statistics.label("outcome").collect(found ? "match" : regex.prefilter().isEmpty() ? "no prefilter"
                : may ? "passed, no match" : "rejected");
        if (found) {
            assertThat(may).as("rule %d on %s", RULES.get(c.rule()).id(), c.value()).isTrue();
        }
        // and Rules.find, which runs the prefilter before the budgeted matcher, agrees with the regex
        assertThat(Rules.find(regex, c.value())).isEqualTo(found);
    }

    @Property(tries = 1)
    void mostBuiltInRulesHaveAPrefilter() {
        long with = RULES.stream().filter(r -> r.regex().orElseThrow().prefilter().isPresent()).count();
        // the rest: ^\s*$, ^\d+$ and a class of control chars, which have no required literal
        assertThat(RULES.size() - with).isLessThanOrEqualTo(4);
    }
}
