package dev.graft.modules.headers;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One header to write and its values (one line each).
 *
 * @param name   the header name as written in the settings
 * @param values the values, as Lua's tostring gives them
 */
public record NameValues(String name, List<String> values) {
    public NameValues {
        requireNonNull(name, "name");
        values = List.copyOf(values);
    }
}
