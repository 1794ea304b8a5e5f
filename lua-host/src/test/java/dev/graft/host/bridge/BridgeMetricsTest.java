package dev.graft.host.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.host.admin.MicrometerGraftMetrics;
import org.junit.jupiter.api.Test;

/** The bridge's counters as /metrics shows them. */
class BridgeMetricsTest {

    @Test
    void fallbacksExceptionsAndLuaEntriesAreScraped() {
        try (MicrometerGraftMetrics m = new MicrometerGraftMetrics()) {
            m.stageFallback("waf", "unsupported_target");
            m.stageFallback("waf", "unsupported_target");
            m.stageException("router");
            m.luaEntry();
            m.nativeRequest();
            String scrape = m.scrape();
            assertThat(scrape).contains("graft_stage_fallbacks_total{module=\"waf\",reason=\"unsupported_target\"} 2.0");
            assertThat(scrape).contains("graft_stage_exceptions_total{module=\"router\"} 1.0");
            assertThat(scrape).contains("graft_lua_entries_total 1.0");
            assertThat(scrape).contains("graft_native_requests_total 1.0");
        }
    }
}
