package dev.graft.host.cli;

import dev.graft.host.GraftServer;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code graft} command line: {@code serve}, {@code check-config} and {@code demo}.
 * Exit codes: 0 success, 1 invalid config or a failed start, 2 bad usage.
 */
@Command(name = "graft",
        mixinStandardHelpOptions = true,
        versionProvider = GraftCli.Version.class,
        description = "Runs an OpenResty-style Lua proxy pipeline on the JVM, and migrates it to Java one module at a time.",
        subcommands = {ServeCommand.class, CheckConfigCommand.class, DemoCommand.class, ParityCommand.class, DualRunCommand.class,
        CommandLine.HelpCommand.class})
public final class GraftCli implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: serve, check-config or demo");
    }

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new GraftCli());
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    /** The version of the running build. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"graft " + GraftServer.version(), "Java " + Runtime.version() + " (" + System.getProperty("java.home") + ")"};
        }
    }
}
