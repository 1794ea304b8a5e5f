package dev.graft.tests.parity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.StageModule;
import dev.graft.host.bridge.StageModules;
import dev.graft.host.parity.Mismatch;
import dev.graft.host.parity.ModuleResult;
import dev.graft.host.parity.ParityOptions;
import dev.graft.host.parity.ParityReport;
import dev.graft.host.parity.ParityRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parity gate can fail: a copy of the redirects module whose permanent redirects answer 302
 * instead of 301, registered under the module's name, is caught on the module's cases and named
 * by its effect (response.status, 301 on Lua, 302 on Java); the real module passes; an
 * allow-list entry accepts the difference until it expires.
 */
class ParityGateTest {

    private static final Path SCRIPTS = Path.of("..", "legacy-scripts").toAbsolutePath().normalize();
    private static final Path SHIPPED = SCRIPTS.resolve("graft.json");
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 27);

    @TempDir
    Path tmp;

    private static StageModules drifted() {
        List<StageModule<?>> modules = new ArrayList<>();
        StageModules.discover().modules().forEach((name, m) ->
                modules.add(name.equals("redirects") ? DriftedStage.of(m, 301, 302) : m));
        return StageModules.of(modules);
    }

    private ParityRun.Outcome.Done run(StageModules catalog, Optional<Path> cases) {
        ParityOptions o = new ParityOptions(SHIPPED, List.of("redirects"), cases, 300, 42, Optional.empty(),
                tmp.resolve("report"), catalog, TODAY, true, 1);
        return (ParityRun.Outcome.Done) ParityRun.run(o, line -> {});
    }

    @Test
    void plantedDriftFailsTheGateAndNamesTheEffect() throws IOException {
        ParityRun.Outcome.Done done = run(drifted(), Optional.empty());

        assertThat(done.passed()).isFalse();
        ModuleResult redirects = done.modules().get(0);
        assertThat(redirects.mismatches()).isPositive();
        assertThat(redirects.kept()).anySatisfy(m -> {
            assertThat(m.module()).isEqualTo("redirects");
            assertThat(m.phase()).isEqualTo("request");
            assertThat(m.path()).isEqualTo("response.status");
            assertThat(m.lua()).isEqualTo("301");
            assertThat(m.java()).isEqualTo("302");
            assertThat(m.allowed()).isEmpty();
        });
        ParityReport.write(done, tmp.resolve("report"));
        assertThat(Files.readString(tmp.resolve("report/report.md"))).contains("**Mismatch**: `response.status`")
                .contains("lua:  301").contains("java: 302");
        assertThat(Files.readString(tmp.resolve("report/report.html"))).contains("response.status");
    }

    @Test
    void theRealModulePassesWithItsCoverage() {
        ParityRun.Outcome.Done done = run(StageModules.discover(), Optional.empty());

        ModuleResult redirects = done.modules().get(0);
        assertThat(redirects.setupError()).isEmpty();
        assertThat(redirects.mismatches()).as(ParityReport.details(done)).isZero();
        assertThat(redirects.cases()).isGreaterThan(30);
        assertThat(redirects.generated()).isGreaterThanOrEqualTo(300);
        assertThat(redirects.linesCovered()).isPositive().isLessThanOrEqualTo(redirects.linesTotal());
        assertThat(done.passed()).isTrue();
        assertThat(ParityReport.table(done)).contains("redirects").contains("PASSED");
    }

    @Test
    void anAllowListEntryAcceptsTheDifferenceUntilItExpires() throws IOException {
        Path cases = copyCases("redirects");
        Files.writeString(cases.resolve("allowed-differences.json"), """
                [{"path": "response.*", "reason": "test: 302 on purpose", "expires": "2026-12-31"},
                 {"path": "log.*", "reason": "test: the access log names the status", "expires": "2026-12-31"}]
                """);
        ParityRun.Outcome.Done allowed = run(drifted(), Optional.of(cases));
        assertThat(allowed.passed()).as(ParityReport.details(allowed)).isTrue();
        assertThat(allowed.modules().get(0).allowed()).isPositive();
        assertThat(allowed.modules().get(0).kept()).allSatisfy(m -> assertThat(m.allowed()).isPresent());

        Files.writeString(cases.resolve("allowed-differences.json"), """
                [{"path": "response.*", "reason": "test: 302 on purpose", "expires": "2026-11-26"},
                 {"path": "log.*", "reason": "test: the access log names the status", "expires": "2026-11-26"}]
                """);
        ParityRun.Outcome.Done expired = run(drifted(), Optional.of(cases));
        assertThat(expired.passed()).isFalse();
        assertThat(expired.modules().get(0).kept()).extracting(Mismatch::source)
                .anySatisfy(s -> assertThat(s).contains("allow-list entry expired 2026-11-26"));
    }

    @Test
    void aGeneratedMismatchShrinksToAMinimalRequestWithItsSeed() throws IOException {
        Path cases = Files.createDirectories(tmp.resolve("one-case"));
        Files.copy(SCRIPTS.resolve("redirects/cases/001-exact-basic.json"), cases.resolve("001-exact-basic.json"));
        ParityOptions o = new ParityOptions(SHIPPED, List.of("redirects"), Optional.of(cases), 400, 42, Optional.empty(),
                tmp.resolve("report"), drifted(), TODAY, true, 1);
        ParityRun.Outcome.Done done = (ParityRun.Outcome.Done) ParityRun.run(o, line -> {});

        assertThat(done.modules().get(0).kept()).filteredOn(m -> m.source().contains("(shrunk)")).isNotEmpty()
                .allSatisfy(m -> {
                    assertThat(m.source()).startsWith("generated seed 42 #");
                    // a request line and its Host: every other header, the body and the query went
                    assertThat(m.request().lines()).hasSize(2);
                    assertThat(m.request()).startsWith("GET ").contains("client 127.0.0.1").doesNotContain("?");
                });
    }

    private Path copyCases(String module) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("cases"));
        try (Stream<Path> files = Files.list(SCRIPTS.resolve(module).resolve("cases"))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }
}
