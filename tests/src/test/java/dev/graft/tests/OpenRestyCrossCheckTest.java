package dev.graft.tests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.tests.crosscheck.ExpectedDifference;
import dev.graft.tests.crosscheck.RequestGenerator;
import dev.graft.tests.crosscheck.ResponseComparison;
import dev.graft.tests.harness.ClientResult;
import dev.graft.tests.harness.DemoOrigins;
import dev.graft.tests.harness.FreePort;
import dev.graft.tests.harness.GraftLauncher;
import dev.graft.tests.harness.LaunchPolicy;
import dev.graft.tests.harness.NginxLauncher;
import dev.graft.tests.harness.ProxyLauncher;
import dev.graft.tests.harness.ProxyUnderTest;
import dev.graft.tests.harness.RawHttpClient;
import dev.graft.tests.harness.RawRequest;
import dev.graft.tests.legacy.CaseConfigBuilder;
import dev.graft.tests.legacy.CaseFile;
import dev.graft.tests.legacy.CaseLoader;
import dev.graft.tests.legacy.CaseStep;
import dev.graft.tests.legacy.LegacyCase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real nginx + lua-nginx-module and Graft, both in front of the same origins with the same
 * generated config (one customer per legacy case), get the same requests: every case step,
 * then seeded random ones. Their answers must agree except for
 * {@link ResponseComparison#EXPECTED_DIFFERENCES}. All differences are reported together at the
 * end, grouped by what differs, each with a request that shows it.
 *
 * <p>-Dgraft.crossCheck.requests=N (default 3000) and -Dgraft.crossCheck.seed=S (default
 * 20261127) choose the generated requests; -Dgraft.crossCheck.against=nginx checks nginx against
 * a second nginx (the harness's self-check: only the expected differences may show). Skips when nginx or Graft cannot run here, and fails
 * instead under CI=true.
 */
class OpenRestyCrossCheckTest {

    private static final int EXAMPLES_PER_KIND = 3;

    @Test
    void nginxAndGraftAnswerAlike(@TempDir Path dir) throws IOException {
        int generated = Integer.getInteger("graft.crossCheck.requests", 3000);
        long seed = Long.getLong("graft.crossCheck.seed", 20261127L);
        Path scripts = CaseLoader.scriptsFolder();
        List<LegacyCase> cases = new ArrayList<>();
        for (CaseFile f : CaseLoader.loadAll(scripts)) {
            if (f instanceof CaseFile.Loaded loaded) {
                cases.add(loaded.legacyCase());
            }
        }
        assertThat(cases).as("legacy cases under " + scripts + " (their customers are the config)").isNotEmpty();

        try (DemoOrigins origins = DemoOrigins.start()) {
            ObjectNode nginxConfig = CaseConfigBuilder.build(scripts, cases, origins.addresses(), FreePort.pick(), FreePort.pick());
            ObjectNode graftConfig = nginxConfig.deepCopy();
            graftConfig.putObject("listen").put("host", "127.0.0.1").put("port", FreePort.pick());
            try (ProxyUnderTest nginx = LaunchPolicy.require("nginx", new NginxLauncher().launch(nginxConfig, dir.resolve("nginx")));
                 ProxyUnderTest graft = LaunchPolicy.require("graft", candidate().launch(graftConfig, dir.resolve("graft")))) {

                List<RawRequest> requests = new ArrayList<>();
                for (LegacyCase c : cases) {
                    for (CaseStep step : c.steps()) {
                        requests.add(step.request().toRaw(c.host()));
                    }
                }
                int fromCases = requests.size();
                RequestGenerator generator = new RequestGenerator(seed, cases);
                for (int i = 0; i < generated; i++) {
                    requests.add(generator.next());
                }

                RawHttpClient client = RawHttpClient.withTimeout(Duration.ofSeconds(10));
                Map<String, List<String>> examples = new LinkedHashMap<>();
                Map<String, Integer> counts = new LinkedHashMap<>();
                int differing = 0;
                StringBuilder everyDifference = new StringBuilder();
                Map<Integer, Integer> statuses = new java.util.TreeMap<>();
                for (int i = 0; i < requests.size(); i++) {
                    RawRequest request = requests.get(i);
                    // nginx first, then Graft, one at a time: stateful modules see the same sequence
                    ClientResult fromNginx = client.send(nginx.address(), request);
                    ClientResult fromGraft = client.send(graft.address(), request);
                    List<String> diffs = ResponseComparison.compare(fromNginx, fromGraft);
                    statuses.merge(fromNginx instanceof ClientResult.Answered a ? a.response().status() : 0, 1, Integer::sum);
                    if (!diffs.isEmpty()) {
                        differing++;
                        everyDifference.append('#').append(i).append(' ').append(request.describe()).append('\n');
                        diffs.forEach(d -> everyDifference.append("    ").append(d).append('\n'));
                    }
                    for (String d : diffs) {
                        // a status difference is grouped by its pair of statuses, anything else by what differs
                        String kind = d.startsWith("status:") ? d : d.substring(0, d.indexOf(':'));
                        counts.merge(kind, 1, Integer::sum);
                        List<String> shown = examples.computeIfAbsent(kind, k -> new ArrayList<>());
                        if (shown.size() < EXAMPLES_PER_KIND) {
                            shown.add("#" + i + (i < fromCases ? " (case step)" : " (generated)") + " "
                                    + request.describe() + "\n      " + d);
                        }
                    }
                }
                System.out.println("cross-check: compared " + requests.size() + " requests (" + fromCases
                        + " case steps, " + generated + " generated, seed " + seed + "); " + differing + " differ;"
                        + " nginx statuses (0 = no answer): " + statuses);
                // two proxies that answer nothing agree on everything: make sure the reference answered
                assertThat(statuses.getOrDefault(0, 0))
                        .as("requests nginx did not answer (of %d): the comparison would be vacuous", requests.size())
                        .isLessThan(requests.size() / 10);
                if (differing > 0) {
                    String report = report(requests.size(), differing, counts, examples);
                    Path file = Path.of(System.getProperty("java.io.tmpdir"), "graft-cross-check-report.txt");
                    Files.writeString(file, report + "\nEvery differing request:\n" + everyDifference);
                    throw new AssertionError(report + "\n(with every differing request in " + file + ")");
                }
            }
        }
    }

    /**
     * The proxy checked against nginx: Graft, or with -Dgraft.crossCheck.against=nginx a second
     * nginx, to check the harness itself (generator, comparison, the expected-differences list).
     */
    private static ProxyLauncher candidate() {
        return "nginx".equals(System.getProperty("graft.crossCheck.against")) ? new NginxLauncher() : new GraftLauncher();
    }

    private static String report(int compared, int differing, Map<String, Integer> counts, Map<String, List<String>> examples) {
        StringBuilder out = new StringBuilder();
        out.append(differing).append(" of ").append(compared).append(" requests answered differently by nginx and graft.\n")
                .append("Allowed to differ: ");
        for (ExpectedDifference e : ResponseComparison.EXPECTED_DIFFERENCES) {
            out.append(e.what()).append("; ");
        }
        out.append("\nDifferences by kind (count, then up to ").append(EXAMPLES_PER_KIND).append(" requests showing it):\n");
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(kind -> {
                    out.append("  ").append(kind.getKey()).append(" -- ").append(kind.getValue()).append(" requests\n");
                    examples.get(kind.getKey()).forEach(e -> out.append("    ").append(e).append('\n'));
                });
        return out.toString();
    }
}
