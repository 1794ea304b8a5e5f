package dev.graft.host.log;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.host.config.ConfigError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The config's {@code logging} section: where the JSON access log and the JSON error log go.
 *
 * <pre>
 *   "logging": {"access_log": "logs/access.jsonl", "error_log": "stderr"}
 * </pre>
 *
 * <p>Each is {@code "off"} (the default: nothing is logged per request), {@code "stdout"},
 * {@code "stderr"}, or a file name (relative to the working folder), appended to. The error
 * log is in addition to the plain-text lines Graft always writes to stderr.
 */
public record LoggingSettings(Target access, Target error) {

    static final List<String> KEYS = List.of("access_log", "error_log");

    public static final LoggingSettings OFF = new LoggingSettings(new Target.Off(), new Target.Off());

    public LoggingSettings {
        requireNonNull(access, "access");
        requireNonNull(error, "error");
    }

    /** Where one log goes. */
    public sealed interface Target {
        record Off() implements Target {}

        record Stdout() implements Target {}

        record Stderr() implements Target {}

        record File(Path path) implements Target {
            public File {
                requireNonNull(path, "path");
            }
        }

        /** A stable name, for the appender that writes it. */
        default String describe() {
            return switch (this) {
                case Off o -> "off";
                case Stdout s -> "stdout";
                case Stderr s -> "stderr";
                case File f -> f.path().toString();
            };
        }
    }

    /** The errors of the section, for the config loader; empty when it is absent or valid. */
    public static List<ConfigError> check(JsonNode root, Path baseDir) {
        List<ConfigError> errors = new ArrayList<>();
        read(root, baseDir, errors);
        return errors;
    }

    /** The settings of a config that {@link #check} accepted. */
    public static LoggingSettings read(JsonNode root, Path baseDir) {
        List<ConfigError> errors = new ArrayList<>();
        LoggingSettings s = read(root, baseDir, errors);
        return errors.isEmpty() ? s : OFF;
    }

    private static LoggingSettings read(JsonNode root, Path baseDir, List<ConfigError> errors) {
        JsonNode n = root.path("logging");
        if (n.isMissingNode() || n.isNull()) {
            return OFF;
        }
        if (!n.isObject()) {
            errors.add(new ConfigError("logging", n.toString(), "an object with access_log, error_log"));
            return OFF;
        }
        n.fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) {
                errors.add(new ConfigError("logging." + k, "present", "one of " + KEYS));
            }
        });
        return new LoggingSettings(target(n, "access_log", baseDir, errors), target(n, "error_log", baseDir, errors));
    }

    private static Target target(JsonNode section, String key, Path baseDir, List<ConfigError> errors) {
        JsonNode v = section.path(key);
        if (v.isMissingNode() || v.isNull()) {
            return new Target.Off();
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            errors.add(new ConfigError("logging." + key, v.toString(), "\"off\", \"stdout\", \"stderr\" or a file name"));
            return new Target.Off();
        }
        return switch (v.asText()) {
            case "off" -> new Target.Off();
            case "stdout" -> new Target.Stdout();
            case "stderr" -> new Target.Stderr();
            default -> new Target.File(baseDir.resolve(v.asText()).toAbsolutePath().normalize());
        };
    }
}
