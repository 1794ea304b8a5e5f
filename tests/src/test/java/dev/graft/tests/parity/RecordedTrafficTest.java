package dev.graft.tests.parity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.host.GraftServer;
import dev.graft.host.bridge.StageModules;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.demo.DemoConfig;
import dev.graft.host.demo.DemoOrigin;
import dev.graft.host.parity.ModuleResult;
import dev.graft.host.parity.ParityOptions;
import dev.graft.host.parity.ParityReport;
import dev.graft.host.parity.ParityRun;
import dev.graft.tests.harness.ClientResult;
import dev.graft.tests.harness.Header;
import dev.graft.tests.harness.RawHttpClient;
import dev.graft.tests.harness.RawRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recorded traffic: Graft with a {@code record} section writes the requests it serves as JSON
 * lines (credentials redacted, bodies cut at the limit, nothing past the size cap), a bad
 * section is refused at load with its field path, and {@code graft parity --traffic} replays
 * the file on both sides.
 */
class RecordedTrafficTest {

    private static final Path SCRIPTS = Path.of("..", "legacy-scripts").toAbsolutePath().normalize();
    private static final JsonMapper JSON = new JsonMapper();

    @TempDir
    Path tmp;

    private ObjectNode config(Map<String, InetSocketAddress> origins, String record) throws IOException {
        ObjectNode raw = (ObjectNode) JSON.readTree(SCRIPTS.resolve("graft.json").toFile());
        raw.put("scripts", SCRIPTS.toString());
        raw.set("record", JSON.readTree(record));
        return DemoConfig.pointAt(raw, origins);
    }

    @Test
    void servedRequestsAreRecordedRedactedAndReplayedByTheParityCheck() throws Exception {
        Path traffic = tmp.resolve("traffic.jsonl");
        Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
        List<DemoOrigin> origins = List.of(DemoOrigin.startEcho("origin-a", "127.0.0.1", 0),
                DemoOrigin.startEcho("origin-b", "127.0.0.1", 0), DemoOrigin.startBucket("bucket", "127.0.0.1", 0));
        origins.forEach(o -> addresses.put(o.name(), o.address()));
        ObjectNode raw = config(addresses, "{\"file\": \"" + traffic + "\", \"sample\": 1, \"max_body_bytes\": 8,"
                + " \"redact_headers\": [\"Authorization\", \"Cookie\", \"X-Api-Key\"]}");
        GraftConfig config = ((ConfigResult.Valid) ConfigLoader.check(raw, SCRIPTS)).config();
        try (GraftServer server = GraftServer.start(config, GraftServer.Options.ephemeral())) {
            RawHttpClient client = RawHttpClient.withTimeout(Duration.ofSeconds(10));
            send(client, server, "GET", "/old?x=1", List.of(new Header("Host", "shop.test"),
                    new Header("Cookie", "session=secret"), new Header("User-Agent", "test/1")), Optional.empty());
            send(client, server, "POST", "/search", List.of(new Header("Host", "media.test"),
                    new Header("X-Api-Key", "media-demo-key"), new Header("Authorization", "Bearer secret"),
                    new Header("Content-Length", "23")),
                    Optional.of("q=1' OR '1'='1 and more"));
            send(client, server, "GET", "/?q=%3Cscript%3E", List.of(new Header("Host", "legacy.test")), Optional.empty());
        } finally {
            origins.forEach(DemoOrigin::close);
        }

        List<String> lines = Files.readAllLines(traffic, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(3);
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.path("method").asText()).isEqualTo("GET");
        assertThat(first.path("target").asText()).isEqualTo("/old?x=1");
        assertThat(first.path("client").asText()).isEqualTo("127.0.0.1");
        assertThat(first.path("headers").toString()).contains("[\"Cookie\",\"<redacted>\"]")
                .contains("[\"User-Agent\",\"test/1\"]").doesNotContain("secret");
        JsonNode second = JSON.readTree(lines.get(1));
        assertThat(second.path("body").asText()).isEqualTo("q=1' OR ");
        assertThat(second.path("body_truncated").asBoolean()).isTrue();
        assertThat(lines.get(1)).doesNotContain("secret").doesNotContain("media-demo-key");

        ParityOptions o = new ParityOptions(SCRIPTS.resolve("graft.json"), List.of("redirects", "waf"), Optional.empty(),
                0, 1, Optional.of(traffic), tmp.resolve("report"), StageModules.discover(), LocalDate.of(2026, 11, 27),
                true, 1);
        ParityRun.Outcome.Done done = (ParityRun.Outcome.Done) ParityRun.run(o, line -> {});
        assertThat(done.modules()).extracting(ModuleResult::recorded).containsExactly(3, 3);
        assertThat(done.passed()).as(ParityReport.details(done)).isTrue();
    }

    @Test
    void aBadRecordSectionIsRefusedWithItsFieldPath() throws IOException {
        ObjectNode raw = config(Map.of(), "{\"file\": \"t.jsonl\", \"sample\": 2, \"redact_headers\": \"Cookie\"}");
        ConfigResult r = ConfigLoader.check(raw, SCRIPTS);
        assertThat(r).isInstanceOf(ConfigResult.Invalid.class);
        assertThat(((ConfigResult.Invalid) r).errors()).extracting(e -> e.message())
                .contains("record.sample: 2 (expected: a number from 0 to 1)",
                        "record.redact_headers: \"Cookie\" (expected: a list of header names)");
    }

    private static void send(RawHttpClient client, GraftServer server, String method, String target,
            List<Header> headers, Optional<String> body) {
        ClientResult r = client.send(server.proxyAddress(), new RawRequest(method, target, headers,
                body.map(b -> b.getBytes(StandardCharsets.UTF_8))));
        assertThat(r).isInstanceOf(ClientResult.Answered.class);
    }
}
