package dev.graft.host.cli;

import dev.graft.host.parity.DualRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code graft dual-run}: an all-Lua Graft and a Graft with the shipped Java modules in front of
 * the same demo origins, the same requests to both, every pair of responses (and so of requests
 * the echo origin received) compared; exits 1 when a pair differs.
 */
@Command(name = "dual-run", mixinStandardHelpOptions = true,
        description = "Fires the same requests at an all-Lua Graft and at one with the shipped Java modules, in front "
                + "of the same origins, and compares every pair of responses; exits 1 on a difference.")
final class DualRunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "the shipped config (default: legacy-scripts/graft.json)")
    Path config;

    @Option(names = "--requests", paramLabel = "N", defaultValue = "5000",
            description = "requests sent to each side (default: ${DEFAULT-VALUE})")
    int requests;

    @Option(names = "--in-flight", paramLabel = "N", defaultValue = "64",
            description = "requests in flight per side, one connection each (default: ${DEFAULT-VALUE})")
    int inFlight;

    @Option(names = "--seed", paramLabel = "S", description = "the request mix's seed (default: a new one, printed)")
    Long seed;

    @Option(names = "--traffic", paramLabel = "FILE", description = "send a recorded traffic file instead of the mix")
    Path traffic;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (requests < 1 || inFlight < 1) {
            err.println("graft dual-run: --requests, --in-flight: " + requests + ", " + inFlight + " (expected: at least 1)");
            return 2;
        }
        long s = seed != null ? seed : System.nanoTime() & 0xffffffffL;
        out.println("dual-run: seed " + s + ", " + requests + " requests, " + inFlight + " in flight per side");
        out.flush();
        DualRun.Result r;
        try {
            r = DualRun.run(new DualRun.Options(config != null ? config : DemoCommand.defaultConfig(), requests, inFlight, s,
                    Optional.ofNullable(traffic)), line -> {
                        out.println("  " + line);
                        out.flush();
                    });
        } catch (IOException | IllegalStateException e) {
            err.println("graft dual-run: " + e.getMessage());
            return 1;
        }
        r.examples().forEach(e -> out.println("DIFFERENT " + e));
        out.println("dual-run: " + r.requests() + " requests per side, statuses " + r.statuses() + ", "
                + r.differing() + " differing pairs, " + String.format("%.1f s", r.millis() / 1000.0)
                + " (not compared: headers " + DualRun.VOLATILE_HEADERS + ", request ids, request_time)");
        out.println("dual-run: " + (r.passed() ? "PASSED" : "FAILED"));
        return r.passed() ? 0 : 1;
    }
}
