package dev.graft.host.parity;

import static java.util.Objects.requireNonNull;

import dev.graft.host.bridge.StageModules;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * What a parity run compares and where it writes.
 *
 * @param shipped   the shipped config (its pipeline, customers and rollout; legacy-scripts/graft.json)
 * @param modules   the modules to compare; empty means every module of the shipped pipeline
 * @param cases     the folder holding {@code <module>/cases/}, or one module's cases folder;
 *                  empty means the shipped config's scripts folder
 * @param generated generated requests per module
 * @param seed      the generators' seed
 * @param traffic   a recorded traffic file to replay to every module
 * @param reportDir where report.md and report.html go
 * @param catalog   the Java modules (ServiceLoader's, or a test's)
 * @param today     the date allow-list expiries are checked against
 * @param strict    fail on a mismatch in any module, not only those the shipped config serves from Java
 * @param jobs      modules compared at once
 */
public record ParityOptions(Path shipped, List<String> modules, Optional<Path> cases, int generated, long seed,
                            Optional<Path> traffic, Path reportDir, StageModules catalog, LocalDate today,
                            boolean strict, int jobs) {
    public ParityOptions {
        requireNonNull(shipped, "shipped");
        modules = List.copyOf(modules);
        requireNonNull(cases, "cases");
        if (generated < 0) {
            throw new IllegalArgumentException("generated: " + generated + " (expected: 0 or more)");
        }
        requireNonNull(traffic, "traffic");
        requireNonNull(reportDir, "reportDir");
        requireNonNull(catalog, "catalog");
        requireNonNull(today, "today");
    }
}
