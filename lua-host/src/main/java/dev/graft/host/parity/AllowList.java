package dev.graft.host.parity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A module's accepted differences: {@code legacy-scripts/<module>/cases/allowed-differences.json},
 * a list of {@code {"path": "response.header.x-*", "reason": "...", "expires": "2027-03-31"}}.
 * A path pattern matches an effect path exactly, or with {@code *} standing for any run of
 * characters. A matching, unexpired entry makes the difference reported but not failed; an
 * expired entry accepts nothing (the difference fails, and the report names the entry).
 *
 * @param entries the entries in file order
 */
public record AllowList(List<Entry> entries) {

    public static final String FILE = "allowed-differences.json";
    public static final AllowList EMPTY = new AllowList(List.of());

    public AllowList {
        entries = List.copyOf(requireNonNull(entries, "entries"));
    }

    /** One accepted difference. */
    public record Entry(String path, String reason, LocalDate expires) {
        public Entry {
            requireNonNull(path, "path");
            requireNonNull(reason, "reason");
            requireNonNull(expires, "expires");
        }

        boolean matches(String effectPath) {
            return glob(path, 0, effectPath, 0);
        }

        private static boolean glob(String p, int i, String s, int j) {
            while (i < p.length()) {
                char c = p.charAt(i);
                if (c == '*') {
                    for (int k = j; k <= s.length(); k++) {
                        if (glob(p, i + 1, s, k)) {
                            return true;
                        }
                    }
                    return false;
                }
                if (j >= s.length() || s.charAt(j) != c) {
                    return false;
                }
                i++;
                j++;
            }
            return j == s.length();
        }
    }

    /** A list, or why the file cannot be used. */
    public sealed interface Loaded {
        record Ok(AllowList list) implements Loaded {}

        record Invalid(String message) implements Loaded {}
    }

    /** Reads {@code casesDir/allowed-differences.json}; a missing file is an empty list. */
    public static Loaded load(Path casesDir) {
        Path file = casesDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return new Loaded.Ok(EMPTY);
        }
        JsonNode root;
        try {
            root = new JsonMapper().readTree(file.toFile());
        } catch (IOException e) {
            return new Loaded.Invalid(file + ": " + e.getMessage() + " (expected: a JSON list)");
        }
        if (!root.isArray()) {
            return new Loaded.Invalid(file + ": " + root.getNodeType() + " (expected: a JSON list of entries)");
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode e = root.get(i);
            String where = file.getFileName() + "[" + i + "]";
            if (!e.path("path").isTextual() || !e.path("reason").isTextual() || e.path("reason").asText().isBlank()
                    || !e.path("expires").isTextual()) {
                return new Loaded.Invalid(where + ": " + e + " (expected: path, reason and expires as strings)");
            }
            try {
                out.add(new Entry(e.get("path").asText(), e.get("reason").asText(),
                        LocalDate.parse(e.get("expires").asText())));
            } catch (DateTimeParseException x) {
                return new Loaded.Invalid(where + ".expires: " + e.get("expires").asText() + " (expected: YYYY-MM-DD)");
            }
        }
        return new Loaded.Ok(new AllowList(out));
    }

    /** The first entry whose pattern matches {@code effectPath}, expired or not. */
    public Optional<Entry> find(String effectPath) {
        return entries.stream().filter(e -> e.matches(effectPath)).findFirst();
    }
}
