package dev.graft.host.cli;

import dev.graft.host.GraftServer;
import dev.graft.host.config.ConfigError;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code graft check-config FILE}: checks a config file without starting anything. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Checks a config file and loads its Lua pipeline: prints OK and a summary, or every error (exit 1).")
final class CheckConfigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "the JSON config file")
    Path file;

    @Option(names = "--skip-lua", description = "check the JSON only; by default the Lua pipeline is also loaded "
            + "(every module compiled, the driver's init run), as serve would")
    boolean skipLua;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        return switch (ConfigLoader.load(file)) {
            case ConfigResult.Valid v -> {
                Optional<String> lua = skipLua ? Optional.empty() : GraftServer.checkLua(v.config());
                if (lua.isPresent()) {
                    out.println("graft: " + file + ": the Lua pipeline does not load");
                    out.println("  " + lua.get().replace("\n", "\n  "));
                    yield 1;
                }
                out.println("OK " + file + ": " + summary(v.config()));
                yield 0;
            }
            case ConfigResult.Invalid i -> {
                printErrors(out, file, i);
                yield 1;
            }
        };
    }

    /** One line: listeners, stages, upstreams, customers. */
    static String summary(GraftConfig c) {
        return "listen " + c.listen().host() + ":" + c.listen().port()
                + ", admin " + c.admin().listen().host() + ":" + c.admin().listen().port() + ", " + shape(c);
    }

    /** Stages, upstreams, customers and scripts, without the listeners. */
    static String shape(GraftConfig c) {
        int hosts = c.customers().values().stream().mapToInt(x -> x.hosts().size()).sum();
        return c.pipeline().size() + " stages, " + c.upstreams().size() + " upstreams, "
                + c.customers().size() + " customers (" + hosts + " hosts), scripts " + c.scripts();
    }

    static void printErrors(PrintWriter to, Path file, ConfigResult.Invalid invalid) {
        int n = invalid.errors().size();
        to.println("graft: " + file + ": " + n + (n == 1 ? " error" : " errors"));
        for (ConfigError e : invalid.errors()) {
            to.println("  " + e.message());
        }
        to.flush();
    }
}
