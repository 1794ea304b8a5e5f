package dev.graft.modules.waf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The built-in rules are rules.lua's, in its order, and all of them compile. */
class BuiltinRulesTest {

    private static String rulesLua() throws IOException {
        for (String s : List.of("../legacy-scripts/waf/rules.lua", "legacy-scripts/waf/rules.lua",
                "/work/main/legacy-scripts/waf/rules.lua")) {
            if (Files.exists(Path.of(s))) {
                return Files.readString(Path.of(s));
            }
        }
        throw new IllegalStateException("rules.lua not found");
    }

    @Test
    void idsScoresAndPatternsAreThoseOfRulesLua() throws IOException {
        String lua = rulesLua();
        List<Long> ids = new ArrayList<>();
        Matcher id = Pattern.compile("\\bid = (\\d+),").matcher(lua);
        while (id.find()) {
            ids.add(Long.parseLong(id.group(1)));
        }
        List<String> patterns = new ArrayList<>();
        Matcher p = Pattern.compile("pattern = \\[(=*)\\[(.*?)\\]\\1\\]", Pattern.DOTALL).matcher(lua);
        while (p.find()) {
            patterns.add(p.group(2));
        }
        assertThat(BuiltinRules.ALL).extracting(RuleSpec::id).containsExactlyElementsOf(ids);
        assertThat(BuiltinRules.ALL).flatExtracting(r -> r.pattern().stream().toList())
                .containsExactlyElementsOf(patterns);
        long ijo = Pattern.compile("flags = \"ijo\"").matcher(lua).results().count();
        assertThat(BuiltinRules.ALL.stream().filter(r -> r.flags().equals(java.util.Optional.of("ijo"))).count())
                .isEqualTo(ijo);
        assertThat(BuiltinRules.ALL).hasSize(72);
    }

    @Test
    void everyBuiltInRuleCompiles() {
        assertThat(WafConfig.defaults().policy().problems()).isEmpty();
        assertThat(WafConfig.defaults().policy().ruleIds())
                .containsExactlyElementsOf(BuiltinRules.ALL.stream().map(RuleSpec::id).toList());
    }
}
