package dev.graft.modules.waf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Settings as the Lua module reads them: defaults, and the exact error lines of prepare(conf). */
class WafConfigTest {

    private static Map<String, Object> rule(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static WafPolicy custom(Object... rules) {
        List<Object> list = new ArrayList<>(List.of(rules));
        return WafConfig.of(null, null, null, list, null, null, null, null, null).policy();
    }

    @Test
    void defaultsAreTheLuaOnes() {
        WafPolicy p = WafConfig.defaults().policy();
        assertThat(p.mode()).isEqualTo(WafPolicy.Mode.BLOCK);
        assertThat(p.threshold()).isEqualTo(5);
        assertThat(p.bodyLimit()).isEqualTo(65536);
        assertThat(p.argsLimit()).isEqualTo(101);
        assertThat(p.upstreamHeaders()).isTrue();
        assertThat(p.ruleIds()).hasSize(72).startsWith(913100L, 913110L).endsWith(944100L, 944150L);
        assertThat(p.problems()).isEmpty();
    }

    @Test
    void modeAndThresholdThatLuaCannotUseAreLoggedAndDefaulted() {
        WafPolicy p = WafConfig.of("blok", "high", null, null, null, null, null, null, null).policy();
        assertThat(p.mode()).isEqualTo(WafPolicy.Mode.BLOCK);
        assertThat(p.threshold()).isEqualTo(5);
        assertThat(p.problems()).containsExactly(
                "waf: mode: blok (expected: block, log or off), using block",
                "waf: threshold: high (expected: a non-negative integer), using 5");
        assertThat(WafConfig.of(false, 2.5, null, null, null, null, null, null, null).policy().problems())
                .containsExactly("waf: threshold: 2.5 (expected: a non-negative integer), using 5");
        assertThat(WafConfig.of("off", 0, null, null, null, null, null, null, false).policy())
                .satisfies(q -> {
                    assertThat(q.mode()).isEqualTo(WafPolicy.Mode.OFF);
                    assertThat(q.threshold()).isZero();
                    assertThat(q.upstreamHeaders()).isFalse();
                });
    }

    @Test
    void everyRuleProblemIsReportedWithTheLuaWords() {
        WafPolicy p = custom(
                "x",
                rule("id", 0, "targets", List.of("args"), "pattern", "a", "score", 1),
                rule("id", 4294967296L, "targets", List.of("args"), "pattern", "a", "score", 1),
                rule("id", 1, "operator", "eq", "targets", List.of("args"), "score", 1),
                rule("id", 2, "targets", List.of(), "pattern", "a", "score", 1),
                rule("id", 3, "targets", Map.of("a", 1), "pattern", "a", "score", 1),
                rule("id", 4, "targets", List.of("args", "nope"), "pattern", "a", "score", 1),
                rule("id", 5, "targets", List.of("Header:x"), "pattern", "a", "score", 1),
                rule("id", 6, "targets", List.of("header:"), "pattern", "a", "score", 1),
                rule("id", 7, "targets", List.of("args"), "flags", 1, "pattern", "a", "score", 1),
                rule("id", 8, "targets", List.of("args"), "score", 1),
                rule("id", 9, "targets", List.of("args"), "pattern", "(unclosed", "score", 1),
                rule("id", 10, "targets", List.of("args"), "operator", "gt", "score", 1),
                rule("id", 11, "targets", List.of("args"), "operator", "len_gt", "limit", "5", "score", 1),
                rule("id", 12, "targets", List.of("args"), "pattern", "a", "methods", "GET", "score", 1),
                rule("id", 13, "targets", List.of("args"), "pattern", "a", "transforms", "lowercase", "score", 1),
                rule("id", 14, "targets", List.of("args"), "pattern", "a", "transforms", List.of("lowercase", "upper"),
                        "score", 1),
                rule("id", 15, "targets", List.of("args"), "pattern", "a", "score", 2.5),
                rule("id", 16, "targets", List.of("args"), "pattern", "a", "score", 1001),
                rule("id", 17, "targets", List.of("args"), "pattern", "a"),
                rule("id", 18, "targets", List.of("args", "header:X-Debug", "cookie:Sid", "arg:Q"), "pattern", "a",
                        "score", 1));
        assertThat(p.problems()).containsExactly(
                "waf: custom_rules[1]: not an object, rule ignored",
                "waf: custom_rules[2]: id: 0 (expected: an integer from 1 to 2147483647), rule ignored",
                "waf: custom_rules[3]: id: 4294967296 (expected: an integer from 1 to 2147483647), rule ignored",
                "waf: custom_rules[4]: operator: eq (expected: rx, !rx, absent, gt or len_gt), rule ignored",
                "waf: custom_rules[5]: targets: (expected: a non-empty list), rule ignored",
                "waf: custom_rules[6]: targets: (expected: a non-empty list), rule ignored",
                "waf: custom_rules[7]: targets[2]: nope (expected: a target name), rule ignored",
                "waf: custom_rules[8]: targets[1]: Header:x (expected: a target name), rule ignored",
                "waf: custom_rules[9]: targets[1]: header: (expected: a target name), rule ignored",
                "waf: custom_rules[10]: flags: 1 (expected: ngx.re options), rule ignored",
                "waf: custom_rules[11]: pattern: (expected: a regular expression), rule ignored",
                "waf: custom_rules[12]: pattern: (unclosed (expected: a valid regular expression; "
                        + "pcre_compile() failed: missing ) in \"(unclosed\"), rule ignored",
                "waf: custom_rules[13]: limit: nil (expected: a number), rule ignored",
                "waf: custom_rules[14]: limit: 5 (expected: a number), rule ignored",
                "waf: custom_rules[15]: methods: (expected: a list of methods), rule ignored",
                "waf: custom_rules[16]: transforms: (expected: a list), rule ignored",
                "waf: custom_rules[17]: transforms[2]: upper (expected: urldecode, lowercase, compress_ws or "
                        + "remove_nulls), rule ignored",
                "waf: custom_rules[18]: score: 2.5 (expected: an integer from 0 to 1000), rule ignored",
                "waf: custom_rules[19]: score: 1001 (expected: an integer from 0 to 1000), rule ignored",
                "waf: custom_rules[20]: score: nil (expected: an integer from 0 to 1000), rule ignored");
        assertThat(p.ruleIds()).hasSize(73).endsWith(18L);
        WafRule last = p.rules().get(72);
        assertThat(last.targets()).containsExactly(new Target.Part(Target.Kind.ARGS), new Target.Header("x-debug"),
                new Target.Cookie("sid"), new Target.Arg("Q"));
    }

    @Test
    void disabledRulesDropBuiltInAndCustomOnesByNumber() {
        WafPolicy p = WafConfig.of(null, null, List.of(942100, 941100.0, "913100", 100001),
                List.of(rule("id", 100001, "targets", List.of("args"), "pattern", "x", "score", 5),
                        rule("id", 100002, "targets", List.of("args"), "pattern", "x", "score", 5)),
                null, null, null, null, null).policy();
        assertThat(p.ruleIds()).hasSize(71).doesNotContain(942100L, 941100L, 100001L).contains(913100L, 100002L);
    }

    @Test
    void limitConfOverridesTheBuiltInLimits() {
        WafPolicy p = WafConfig.of(null, null, null, null, null, 3, 30000, 7.5, null).policy();
        Map<Long, Double> limits = new HashMap<>();
        p.rules().forEach(r -> limits.put(r.id(), r.limit()));
        assertThat(limits).containsEntry(920380L, 3.0).containsEntry(920370L, 30000.0).containsEntry(920360L, 7.5);
        assertThat(p.argsLimit()).isEqualTo(4);
        // a limit_conf setting that is not a number drops the rule, as in Lua
        WafPolicy bad = WafConfig.of(null, null, null, null, null, null, "long", null, null).policy();
        assertThat(bad.ruleIds()).doesNotContain(920370L);
        assertThat(bad.problems()).containsExactly("waf: rules[19]: limit: long (expected: a number), rule ignored");
    }

    @Test
    void configsAreEqualWhenTheirSettingsAre() {
        assertThat(WafConfig.of("log", 5, null, null, null, null, null, null, null))
                .isEqualTo(WafConfig.of("log", 5, null, null, null, null, null, null, null))
                .hasSameHashCodeAs(WafConfig.of("log", 5, null, null, null, null, null, null, null))
                .isNotEqualTo(WafConfig.of("log", 6, null, null, null, null, null, null, null));
    }

    @Test
    void flagsThatNgxReRaisesOnAreRefusedAtLoad() {
        // OpenResty raises a Lua error for an unknown flag: every request of the customer would fail
        assertThatThrownBy(() -> custom(rule("id", 1, "targets", List.of("args"), "pattern", "a", "flags", "jz",
                "score", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("customRules[1].flags: jz (expected: ngx.re options; unknown flag \"z\" (flags \"jz\"))");
        // not checked for an operator without a pattern, as in Lua
        assertThat(custom(rule("id", 1, "targets", List.of("args"), "operator", "absent", "flags", "jz", "score", 1))
                .ruleIds()).hasSize(73);
    }
}
