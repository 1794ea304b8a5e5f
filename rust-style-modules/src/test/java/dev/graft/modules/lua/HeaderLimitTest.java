package dev.graft.modules.lua;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.modules.testing.FakeExchange;
import org.junit.jupiter.api.Test;

class HeaderLimitTest {

    @Test
    void countsLinesNotNames() {
        assertThat(HeaderLimit.exceeded(FakeExchange.get("/").requestHeaderLines(100, 1).request().headers())).isFalse();
        assertThat(HeaderLimit.exceeded(FakeExchange.get("/").requestHeaderLines(101, 1).request().headers())).isTrue();
        assertThat(HeaderLimit.exceeded(FakeExchange.get("/").requestHeaderLines(101, 7).request().headers())).isTrue();
        assertThat(HeaderLimit.exceeded(FakeExchange.get("/").request().headers())).isFalse();
    }
}
