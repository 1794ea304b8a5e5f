package dev.graft.host.cli;

import static java.util.Objects.requireNonNull;

import dev.graft.host.GraftServer;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * SIGHUP for {@code graft serve}: a soft reload from the config file, as {@code POST /reload}
 * does. The JDK has no supported signal API; {@code sun.misc.Signal} (module jdk.unsupported,
 * readable from the class path) is the one every HotSpot build ships, so it is used here and
 * only here, guarded: where it is missing or the signal cannot be claimed (a JVM started with
 * -Xrs, a platform without SIGHUP), serve runs on and says so, and the admin call still works.
 *
 * <p>The handler runs on the JVM's signal thread; the reload it starts builds the new
 * pipelines there (off the event loops) and swaps them in, so it never blocks a request.
 */
final class ReloadSignal {

    private ReloadSignal() {}

    /**
     * Installs the SIGHUP handler.
     *
     * @return why it could not be installed, or empty when it was
     */
    static Optional<String> install(GraftServer server, PrintWriter err) {
        requireNonNull(server, "server");
        requireNonNull(err, "err");
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> report(err, server.reloadFromSource()));
            return Optional.empty();
        } catch (IllegalArgumentException | LinkageError | UnsupportedOperationException e) {
            return Optional.of("SIGHUP: not available (" + e.getMessage() + "); use POST /reload");
        }
    }

    private static void report(PrintWriter err, GraftServer.Reload result) {
        switch (result) {
            case GraftServer.Reload.Applied a -> err.println("graft: SIGHUP: reloaded, generation " + a.generation()
                    + (a.notApplied().isEmpty() ? "" : "; needs a restart to change " + a.notApplied()));
            case GraftServer.Reload.Refused r -> err.println("graft: SIGHUP: reload refused, nothing changed: "
                    + String.join("; ", r.errors()));
        }
        err.flush();
    }
}
