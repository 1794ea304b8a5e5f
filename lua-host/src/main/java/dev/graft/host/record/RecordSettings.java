package dev.graft.host.record;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.graft.host.config.ConfigError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The config's {@code record} section: opt-in recording of served requests for parity replay.
 *
 * <pre>
 *   "record": {"file": "traffic.jsonl", "sample": 0.05, "max_bytes": 104857600,
 *              "max_body_bytes": 65536, "redact_headers": ["Authorization", "Cookie"]}
 * </pre>
 *
 * @param file          where lines are appended (a relative name is taken from the working directory)
 * @param sample        share of requests recorded, 0 to 1 (default 1)
 * @param maxBytes      the file's size cap: nothing more is written once it is reached (default 100 MiB)
 * @param maxBodyBytes  longer bodies are recorded cut, marked {@code body_truncated} (default 64 KiB)
 * @param redact        header names (lower case) whose values are written as {@code <redacted>}
 *                      (default: authorization, proxy-authorization, cookie)
 */
public record RecordSettings(Path file, double sample, long maxBytes, int maxBodyBytes, Set<String> redact) {

    public static final Set<String> DEFAULT_REDACT = Set.of("authorization", "proxy-authorization", "cookie");
    private static final List<String> KEYS = List.of("file", "sample", "max_bytes", "max_body_bytes", "redact_headers");

    public RecordSettings {
        requireNonNull(file, "file");
        redact = Set.copyOf(redact);
    }

    /** Settings or the errors of the section, with their field paths. */
    public sealed interface Read {
        record Off() implements Read {}

        record On(RecordSettings settings) implements Read {}

        record Invalid(List<ConfigError> errors) implements Read {}
    }

    /** Reads {@code root.record}; a relative {@code file} is resolved against {@code baseDir}. */
    public static Read read(JsonNode root, Path baseDir) {
        JsonNode r = root.path("record");
        if (r.isMissingNode() || r.isNull()) {
            return new Read.Off();
        }
        List<ConfigError> errors = new ArrayList<>();
        if (!r.isObject()) {
            return new Read.Invalid(List.of(new ConfigError("record", r.toString(), "an object with file, sample, "
                    + "max_bytes, max_body_bytes, redact_headers")));
        }
        r.fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) {
                errors.add(new ConfigError("record." + k, "present", "one of " + KEYS));
            }
        });
        Optional<Path> file = Optional.empty();
        if (!r.path("file").isTextual() || r.get("file").asText().isBlank()) {
            errors.add(new ConfigError("record.file", r.path("file").toString(), "a file name"));
        } else {
            file = Optional.of(baseDir.resolve(r.get("file").asText()).toAbsolutePath().normalize());
        }
        double sample = 1;
        if (r.has("sample")) {
            JsonNode s = r.get("sample");
            if (!s.isNumber() || s.asDouble() < 0 || s.asDouble() > 1) {
                errors.add(new ConfigError("record.sample", s.toString(), "a number from 0 to 1"));
            } else {
                sample = s.asDouble();
            }
        }
        long maxBytes = 100L << 20;
        if (r.has("max_bytes")) {
            JsonNode s = r.get("max_bytes");
            if (!s.canConvertToLong() || !s.isIntegralNumber() || s.asLong() < 1) {
                errors.add(new ConfigError("record.max_bytes", s.toString(), "a whole number of bytes, at least 1"));
            } else {
                maxBytes = s.asLong();
            }
        }
        int maxBody = 64 << 10;
        if (r.has("max_body_bytes")) {
            JsonNode s = r.get("max_body_bytes");
            if (!s.canConvertToInt() || !s.isIntegralNumber() || s.asInt() < 0) {
                errors.add(new ConfigError("record.max_body_bytes", s.toString(), "a whole number of bytes, 0 or more"));
            } else {
                maxBody = s.asInt();
            }
        }
        Set<String> redact = new TreeSet<>(DEFAULT_REDACT);
        if (r.has("redact_headers")) {
            JsonNode s = r.get("redact_headers");
            if (!s.isArray()) {
                errors.add(new ConfigError("record.redact_headers", s.toString(), "a list of header names"));
            } else {
                redact.clear();
                for (int i = 0; i < s.size(); i++) {
                    if (!s.get(i).isTextual() || s.get(i).asText().isBlank()) {
                        errors.add(new ConfigError("record.redact_headers[" + i + "]", s.get(i).toString(),
                                "a header name"));
                    } else {
                        redact.add(s.get(i).asText().toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        if (!errors.isEmpty() || file.isEmpty()) {
            return new Read.Invalid(errors);
        }
        return new Read.On(new RecordSettings(file.get(), sample, maxBytes, maxBody, redact));
    }

    /** The section's errors (none when it is absent or valid), for the config loader. */
    public static List<ConfigError> check(JsonNode root, Path baseDir) {
        return read(root, baseDir) instanceof Read.Invalid i ? i.errors() : List.of();
    }
}
