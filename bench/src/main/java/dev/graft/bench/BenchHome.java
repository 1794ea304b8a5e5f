package dev.graft.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the repository is, so that benchmarks read the real legacy scripts and demo config:
 * {@code GRAFT_HOME} when set (bench/run.sh sets it, and JMH forks inherit it), else the first
 * folder upwards from the working directory that holds {@code legacy-scripts/graft.json}.
 */
public final class BenchHome {

    private BenchHome() {}

    public static Path root() {
        String env = System.getenv("GRAFT_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.isRegularFile(p.resolve("legacy-scripts/graft.json"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("GRAFT_HOME: unset (expected: the repository root, or a working"
                + " directory inside it)");
    }

    /** The demo config, legacy-scripts/graft.json. */
    public static Path demoConfig() {
        return root().resolve("legacy-scripts/graft.json");
    }
}
