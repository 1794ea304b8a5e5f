package dev.graft.host.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The scripts folder of the bridge tests: the test modules of src/test/resources/bridge-scripts
 * (probe, guard, luaonly) beside the real driver, ../legacy-scripts/pipeline.lua, copied into one
 * temporary folder once per test JVM. The driver is read from legacy-scripts itself, not from a
 * copy kept in the test resources, so the tests always run the driver that ships.
 */
public final class BridgeScripts {

    /** The test modules, without a driver of their own. */
    static final Path MODULES = Path.of("src/test/resources/bridge-scripts").toAbsolutePath();
    /** The shipped driver. */
    static final Path DRIVER = Path.of("../legacy-scripts/pipeline.lua").toAbsolutePath().normalize();

    /** The assembled folder: test modules plus the shipped pipeline.lua. */
    public static final Path DIR = assemble();

    private BridgeScripts() {}

    private static Path assemble() {
        try {
            Path dir = Files.createTempDirectory("graft-bridge-scripts");
            dir.toFile().deleteOnExit();
            List<Path> sources;
            try (Stream<Path> walk = Files.walk(MODULES)) {
                sources = walk.filter(p -> !p.equals(MODULES)).sorted().toList();
            }
            // parents before children: deleteOnExit removes in reverse order of registration
            for (Path source : sources) {
                Path target = dir.resolve(MODULES.relativize(source).toString());
                Files.copy(source, target);
                target.toFile().deleteOnExit();
            }
            Path driver = dir.resolve("pipeline.lua");
            Files.copy(DRIVER, driver);
            driver.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("bridge test scripts: " + MODULES + " + " + DRIVER, e);
        }
    }
}
