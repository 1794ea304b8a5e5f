package dev.graft.tests.legacy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One case file of legacy-scripts/&lt;module&gt;/cases/.
 *
 * @param id      {@code <module>-<file stem>}
 * @param module  the module whose folder holds it
 * @param file    the case file
 * @param name    what the case shows
 * @param modules the settings of its customer, module by module
 * @param steps   its requests, in order
 */
public record LegacyCase(String id, String module, Path file, String name, ObjectNode modules, List<CaseStep> steps) {
    public LegacyCase {
        requireNonNull(id, "id");
        requireNonNull(module, "module");
        requireNonNull(file, "file");
        requireNonNull(name, "name");
        requireNonNull(modules, "modules");
        steps = List.copyOf(steps);
    }

    /** The host its customer is served on. */
    public String host() {
        return id.toLowerCase(Locale.ROOT) + ".test";
    }
}
