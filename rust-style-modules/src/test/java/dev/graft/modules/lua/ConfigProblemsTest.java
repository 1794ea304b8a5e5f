package dev.graft.modules.lua;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.StageExchange.LogLevel;
import dev.graft.modules.testing.FakeExchange;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigProblemsTest {

    @Test
    void reportsEveryMessageOnceAtErr() {
        ConfigProblems p = new ConfigProblems(List.of("m: a", "m: b"));
        FakeExchange first = FakeExchange.get("/");
        p.reportOnce(first);
        assertThat(first.logLines()).containsExactly(
                new FakeExchange.LogLine(LogLevel.ERR, "m: a"), new FakeExchange.LogLine(LogLevel.ERR, "m: b"));
        FakeExchange second = FakeExchange.get("/");
        p.reportOnce(second);
        assertThat(second.logLines()).isEmpty();
    }

    @Test
    void equalByMessagesWhateverWasReported() {
        ConfigProblems a = new ConfigProblems(List.of("x"));
        a.reportOnce(FakeExchange.get("/"));
        assertThat(a).isEqualTo(new ConfigProblems(List.of("x"))).hasSameHashCodeAs(new ConfigProblems(List.of("x")));
        assertThat(a).isNotEqualTo(new ConfigProblems(List.of()));
        assertThat(a.messages()).containsExactly("x");
    }
}
