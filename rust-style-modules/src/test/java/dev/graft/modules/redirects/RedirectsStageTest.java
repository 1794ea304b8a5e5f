package dev.graft.modules.redirects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.Outcome;
import dev.graft.bridge.StageExchange.LogLevel;
import dev.graft.modules.testing.FakeExchange;
import dev.graft.modules.testing.FakeExchange.LogLine;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedirectsStageTest {

    private final RedirectsStage stage = new RedirectsStage();

    private static Outcome redirect(int status, String location) {
        return new Outcome.Exit(status, List.of(Map.entry("Location", location)), Optional.empty());
    }

    private Outcome run(RedirectsConfig c, String target) {
        return stage.rewrite(FakeExchange.get(target), c);
    }

    @Test
    void brokenRulesAreSkippedWithTheLuaModulesMessages() {
        RedirectRule noFrom = new RedirectRule(Optional.of("exact"), Optional.empty(), Optional.of("/x"),
                Optional.empty(), Optional.empty(), Optional.empty());
        RedirectRule badStatus = new RedirectRule(Optional.empty(), Optional.of("/a"), Optional.of("/b"),
                Optional.of("abc"), Optional.empty(), Optional.empty());
        RedirectsConfig c = RedirectsConfig.of(
                RedirectRule.of("exact", "/a", "/bad", 200),
                RedirectRule.of("glob", "/a*", "/bad", 301),
                RedirectRule.of("regex", "^/a/(unclosed", "/bad", 301),
                RedirectRule.of("exact", "/a", "", 301),
                noFrom,
                badStatus,
                RedirectRule.of("exact", "/a", "/good", 308));
        assertThat(c.plan().problems().messages()).containsExactly(
                "redirects: rules[1].status: 200 (expected: 301, 302, 303, 307 or 308); rule skipped",
                "redirects: rules[2].match: glob (expected: exact, prefix or regex); rule skipped",
                "redirects: rules[3].from: ^/a/(unclosed (expected: a valid regular expression); rule skipped",
                "redirects: rules[4].to:  (expected: a non-empty string); rule skipped",
                "redirects: rules[5].from: nil (expected: a non-empty string); rule skipped",
                "redirects: rules[6].status: abc (expected: 301, 302, 303, 307 or 308); rule skipped");
        assertThat(c.plan().rules()).hasSize(1);
        assertThat(run(c, "/a")).isEqualTo(redirect(308, "/good"));
    }

    @Test
    void problemsAreLoggedOnceAtErr() {
        RedirectsConfig c = RedirectsConfig.of(RedirectRule.of("exact", "/a", "/b", 200));
        FakeExchange first = FakeExchange.get("/x");
        FakeExchange second = FakeExchange.get("/x");
        stage.rewrite(first, c);
        stage.rewrite(second, c);
        assertThat(first.logLines()).containsExactly(new LogLine(LogLevel.ERR,
                "redirects: rules[1].status: 200 (expected: 301, 302, 303, 307 or 308); rule skipped"));
        assertThat(second.logLines()).isEmpty();
    }

    @Test
    void aNumericStringStatusIsANumber() {
        RedirectRule r = new RedirectRule(Optional.of("exact"), Optional.of("/s"), Optional.of("/t"),
                Optional.of("302"), Optional.empty(), Optional.empty());
        assertThat(run(RedirectsConfig.of(r), "/s")).isEqualTo(redirect(302, "/t"));
    }

    @Test
    void exactRulesKeepTheQueryUnlessToldNot() {
        RedirectsConfig c = RedirectsConfig.of(RedirectRule.of("exact", "/old", "/new", 301),
                RedirectRule.of("exact", "/q", "/n?a=1", 301),
                RedirectRule.of("exact", "/drop", "/n", 301).withKeepQuery(false));
        assertThat(run(c, "/old?x=1&y")).isEqualTo(redirect(301, "/new?x=1&y"));
        assertThat(run(c, "/old?")).isEqualTo(redirect(301, "/new"));
        assertThat(run(c, "/q?x=1")).isEqualTo(redirect(301, "/n?a=1&x=1"));
        assertThat(run(c, "/drop?x=1")).isEqualTo(redirect(301, "/n"));
        assertThat(run(c, "/old/x")).isEqualTo(Outcome.proceed());
    }

    @Test
    void prefixRulesMatchWholeSegmentsAndEscapeTheRest() {
        RedirectsConfig c = RedirectsConfig.of(RedirectRule.of("prefix", "/docs", "https://d.test/v2", 301),
                RedirectRule.of("prefix", "/files/", "/f/", 302));
        assertThat(run(c, "/docs")).isEqualTo(redirect(301, "https://d.test/v2"));
        assertThat(run(c, "/docs/a b")).isEqualTo(redirect(301, "https://d.test/v2/a%20b"));
        assertThat(run(c, "/docsx")).isEqualTo(Outcome.proceed());
        assertThat(run(c, "/files/x\r\ny")).isEqualTo(redirect(302, "/f/x%0D%0Ay"));
    }

    @Test
    void ignoreCaseComparesInLowerCaseButKeepsTheRestsCase() {
        RedirectsConfig c = RedirectsConfig.of(RedirectRule.of("prefix", "/Docs", "/d", 301).withIgnoreCase(true),
                RedirectRule.of("exact", "/Exact", "/e", 301));
        assertThat(run(c, "/DOCS/ReadMe")).isEqualTo(redirect(301, "/d/ReadMe"));
        assertThat(run(c, "/exact")).isEqualTo(Outcome.proceed());
    }

    @Test
    void regexCapturesAreExpandedAndEscaped() {
        RedirectsConfig c = RedirectsConfig.of(RedirectRule.of("regex", "^/blog/(\\d+)/(.*)$", "/p/$2/$1/$3$$9x", 301),
                RedirectRule.of("regex", "^/o/(a)?(b)$", "/o/[$1][$2][$0]", 301),
                RedirectRule.of("regex", "^/go/(.*)$", "/to/$1", 301));
        assertThat(run(c, "/blog/12/hello world")).isEqualTo(redirect(301, "/p/hello%20world/12/$x"));
        assertThat(run(c, "/o/b")).isEqualTo(redirect(301, "/o/[][b][/o/b]"));
        // PCRE's '.' matches CR but not LF
        assertThat(run(c, "/go/x\rY")).isEqualTo(redirect(301, "/to/x%0DY"));
        assertThat(run(c, "/go/x\nY")).isEqualTo(Outcome.proceed());
    }

    @Test
    void regexIgnoreCaseUsesFlagI() {
        RedirectsConfig c = RedirectsConfig.of(RedirectRule.of("regex", "^/A/(.+)$", "/b/$1", 301).withIgnoreCase(true));
        assertThat(run(c, "/a/Q")).isEqualTo(redirect(301, "/b/Q"));
    }

    @Test
    void firstMatchWins() {
        RedirectsConfig c = RedirectsConfig.of(RedirectRule.of("prefix", "/a", "/first", 301),
                RedirectRule.of("exact", "/a/b", "/second", 301));
        assertThat(run(c, "/a/b")).isEqualTo(redirect(301, "/first/b"));
    }

    @Test
    void noRulesContinue() {
        assertThat(run(new RedirectsConfig(Optional.empty()), "/a")).isEqualTo(Outcome.proceed());
    }
}
