package dev.graft.tests.harness;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * Starts one kind of proxy on a Graft config (the JSON tree, with its listener already set).
 * This is the one place where a proxy plugs into the suites.
 */
public interface ProxyLauncher {

    String name();

    /** Starts the proxy with this config; {@code workDir} is its own empty folder. */
    Launch launch(ObjectNode config, Path workDir);

    /** What a launch gave. */
    sealed interface Launch {
        /** Running and accepting on its listener. */
        record Started(ProxyUnderTest proxy) implements Launch {}

        /** This proxy cannot run here (not installed, not built yet): the reason says which. */
        record Unavailable(String reason) implements Launch {}

        /** It should have run and did not: a bug to report. */
        record Failed(String reason) implements Launch {}
    }
}
