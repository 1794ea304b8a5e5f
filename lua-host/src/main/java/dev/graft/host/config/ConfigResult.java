package dev.graft.host.config;

import java.util.List;

/** The outcome of loading a config file: a valid config, or every error found in it. */
public sealed interface ConfigResult {

    /** The file is valid. */
    record Valid(GraftConfig config) implements ConfigResult {}

    /** The file is not valid; {@code errors} is never empty and lists every problem found. */
    record Invalid(List<ConfigError> errors) implements ConfigResult {
        public Invalid {
            errors = List.copyOf(errors);
            if (errors.isEmpty()) {
                throw new IllegalArgumentException("errors: [] (expected: at least one error)");
            }
        }
    }
}
