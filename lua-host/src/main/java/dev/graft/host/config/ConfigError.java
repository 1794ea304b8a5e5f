package dev.graft.host.config;

import static java.util.Objects.requireNonNull;

/**
 * One thing wrong with a config file: where (a JSON path such as
 * {@code customers.acme.hosts[1]}), what was found there (as JSON, or {@code missing}), and
 * what was expected.
 */
public record ConfigError(String path, String value, String expected) {

    public ConfigError {
        requireNonNull(path, "path");
        requireNonNull(value, "value");
        requireNonNull(expected, "expected");
    }

    /** The message in the house form: {@code path: value (expected: ...)}. */
    public String message() {
        return path + ": " + value + " (expected: " + expected + ")";
    }

    @Override
    public String toString() {
        return message();
    }
}
