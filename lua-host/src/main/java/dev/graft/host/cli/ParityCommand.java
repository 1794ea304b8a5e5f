package dev.graft.host.cli;

import dev.graft.host.bridge.StageModules;
import dev.graft.host.parity.ParityOptions;
import dev.graft.host.parity.ParityReport;
import dev.graft.host.parity.ParityRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code graft parity}: compares each module's Lua stage with its Java stage on the module's
 * cases, generated requests and recorded traffic; prints a table per module, writes
 * report.md and report.html, and exits 1 on a mismatch in a module the shipped config serves
 * from Java (any module with --strict).
 */
@Command(name = "parity", mixinStandardHelpOptions = true,
        description = "Compares each module's Lua and Java stages effect by effect; exits 1 on a mismatch in a "
                + "module the shipped config serves from Java.")
final class ParityCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "the shipped config: pipeline, customers, rollout (default: legacy-scripts/graft.json)")
    Path config;

    @Option(names = "--module", paramLabel = "M", split = ",", description = "compare only these modules (default: all)")
    List<String> modules = List.of();

    @Option(names = "--cases", paramLabel = "DIR",
            description = "folder with <module>/cases/, or one module's cases (default: the scripts folder)")
    Path cases;

    @Option(names = "--generated", paramLabel = "N", defaultValue = "10000",
            description = "generated requests per module (default: ${DEFAULT-VALUE})")
    int generated;

    @Option(names = "--seed", paramLabel = "S", description = "the generators' seed (default: a new one, printed)")
    Long seed;

    @Option(names = "--traffic", paramLabel = "FILE", description = "a recorded traffic file (JSON lines) to replay")
    Path traffic;

    @Option(names = "--report", paramLabel = "DIR", defaultValue = "target/parity",
            description = "where report.md and report.html go (default: ${DEFAULT-VALUE})")
    Path report;

    @Option(names = "--jobs", paramLabel = "N", description = "modules compared at once (default: the CPU count)")
    Integer jobs;

    @Option(names = "--strict", description = "fail on a mismatch in any module, not only Java-served ones")
    boolean strict;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (generated < 0) {
            err.println("graft parity: --generated: " + generated + " (expected: 0 or more)");
            return 2;
        }
        long s = seed != null ? seed : System.nanoTime() & 0xffffffffL;
        out.println("parity: seed " + s + " (repeat with --seed " + s + ")");
        out.flush();
        ParityOptions o = new ParityOptions(config != null ? config : DemoCommand.defaultConfig(), modules,
                Optional.ofNullable(cases), generated, s, Optional.ofNullable(traffic), report, StageModules.discover(),
                LocalDate.now(ZoneOffset.UTC), strict,
                jobs != null ? Math.max(1, jobs) : Runtime.getRuntime().availableProcessors());
        return switch (ParityRun.run(o, line -> {
            out.println("  " + line);
            out.flush();
        })) {
            case ParityRun.Outcome.Refused r -> {
                err.println("graft parity: " + r.message());
                yield 1;
            }
            case ParityRun.Outcome.Done d -> {
                out.print(ParityReport.details(d));
                out.print(ParityReport.table(d));
                try {
                    ParityReport.write(d, report);
                    out.println("parity: report in " + report.resolve("report.md") + " and report.html");
                } catch (IOException e) {
                    err.println("graft parity: --report: " + report + ": " + e.getMessage());
                    yield 1;
                }
                yield d.passed() ? 0 : 1;
            }
        };
    }
}
