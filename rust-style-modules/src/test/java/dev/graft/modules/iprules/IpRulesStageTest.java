package dev.graft.modules.iprules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.CtxKeys;
import dev.graft.bridge.Outcome;
import dev.graft.bridge.Phase;
import dev.graft.bridge.StageExchange.LogLevel;
import dev.graft.modules.testing.FakeExchange;
import dev.graft.modules.testing.Json;
import dev.graft.modules.testing.RecordBinder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IpRulesStageTest {

    private final IpRulesStage stage = new IpRulesStage();

    private static IpRulesConfig conf(String json) {
        return RecordBinder.bind(Json.parse(json), IpRulesConfig.class);
    }

    @Test
    void declaresAccessAndIsSecurityCritical() {
        assertThat(stage.name()).isEqualTo("ip_rules");
        assertThat(stage.phases()).containsExactly(Phase.ACCESS);
        assertThat(stage.securityCritical()).isTrue();
    }

    @Test
    void aRefusalIsLoggedAtInfoWithTheMatchedEntry() {
        FakeExchange x = FakeExchange.get("/").requestHeader("X-Forwarded-For", "::ffff:192.0.2.9");
        Outcome o = stage.access(x, conf("{\"trusted_proxies\": [\"127.0.0.1\"], \"deny\": [\"192.0.2.0/24\"],"
                + " \"deny_status\": 451, \"deny_message\": \"no\"}"));
        Outcome.Exit e = (Outcome.Exit) o;
        assertThat(e.status()).isEqualTo(451);
        assertThat(e.headers()).containsExactly(Map.entry("Content-Type", "text/plain"));
        assertThat(new String(e.body().orElseThrow())).isEqualTo("no\n");
        assertThat(x.get(CtxKeys.CLIENT_IP)).hasValue("192.0.2.9");
        assertThat(x.logLines()).containsExactly(
                new FakeExchange.LogLine(LogLevel.INFO, "ip_rules: 192.0.2.9 refused: deny 192.0.2.0/24"));
    }

    @Test
    void anUnreadableHopIsRefusedInDenyModeWithTheHeaderNamed() {
        FakeExchange x = FakeExchange.get("/").requestHeader("X-Real-IP", "198.51.100.1, nonsense");
        Outcome o = stage.access(x, conf("{\"trusted_proxies\": [\"127.0.0.1\"], \"real_ip_header\": \"X-Real-IP\","
                + " \"invalid_forwarded\": \"deny\"}"));
        assertThat(((Outcome.Exit) o).status()).isEqualTo(403);
        assertThat(x.get(CtxKeys.CLIENT_IP)).hasValue("127.0.0.1");
        assertThat(x.logLines()).extracting(FakeExchange.LogLine::message)
                .containsExactly("ip_rules: 127.0.0.1 refused: invalid x-real-ip");
    }

    @Test
    void anUnreadablePeerIsPublishedAsGivenAndOnlyAnAllowListRefusesIt() {
        FakeExchange x = FakeExchange.get("/").remoteAddress("unix:");
        assertThat(stage.access(x, conf("{\"deny\": [\"0.0.0.0/0\"], \"client_ip_header\": \"X-Client\"}")))
                .isEqualTo(Outcome.proceed());
        assertThat(x.get(CtxKeys.CLIENT_IP)).hasValue("unix:");
        assertThat(x.requestHeaders().first("X-Client")).hasValue("unix:");
        FakeExchange y = FakeExchange.get("/").remoteAddress("unix:");
        assertThat(stage.access(y, conf("{\"allow\": [\"0.0.0.0/0\"]}"))).isInstanceOf(Outcome.Exit.class);
    }

    @Test
    void theClientHeaderReplacesWhatTheClientSent() {
        FakeExchange x = FakeExchange.get("/").requestHeader("X-Client", "spoofed");
        stage.access(x, conf("{\"client_ip_header\": \"X-Client\"}"));
        assertThat(x.requestHeaders().all("X-Client")).containsExactly("127.0.0.1");
    }

    @Test
    void unreadableEntriesAreLoggedAtErrByTheFirstRequestOnly() {
        IpRulesConfig c = conf("{\"deny\": [\"10.0.0.0/33\"]}");
        FakeExchange first = FakeExchange.get("/");
        stage.access(first, c);
        assertThat(first.logLines()).containsExactly(new FakeExchange.LogLine(LogLevel.ERR,
                "ip_rules: deny[1]: 10.0.0.0/33 (expected: an address or CIDR; prefix length over 32), ignored"));
        FakeExchange second = FakeExchange.get("/");
        stage.access(second, c);
        assertThat(second.logLines()).isEmpty();
    }

    @Test
    void overOneHundredHeaderLinesIsLeftToLua() {
        FakeExchange x = FakeExchange.get("/").requestHeaderLines(101, 7);
        assertThat(stage.access(x, conf("{}"))).isEqualTo(Outcome.fallback("over 100 request headers"));
        FakeExchange y = FakeExchange.get("/").requestHeaderLines(100, 1);
        assertThat(stage.access(y, conf("{}"))).isNotInstanceOf(Outcome.Fallback.class);
    }
}
