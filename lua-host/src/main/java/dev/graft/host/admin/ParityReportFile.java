package dev.graft.host.admin;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The last parity report that {@code graft parity} wrote (report.md, a Markdown table with the
 * module in the first column and the verdict in the last), read for the dashboard. Its place
 * is {@code -Dgraft.parity.report=FILE}, else {@code target/parity/report.md} under the working
 * folder, where CI's parity run leaves it. Read on each poll of the admin page: a small file,
 * off the proxy's event loops.
 */
public record ParityReportFile(Path path) {

    static final Path DEFAULT = Path.of("target", "parity", "report.md");

    public ParityReportFile {
        requireNonNull(path, "path");
    }

    public static ParityReportFile fromSystemProperty() {
        String p = System.getProperty("graft.parity.report", "");
        return new ParityReportFile(p.isEmpty() ? DEFAULT : Path.of(p));
    }

    /**
     * The verdict per module ("ok", "FAIL", ...), empty when there is no report.
     *
     * @param found    whether the file was there and readable
     * @param modified when it was written
     */
    public record Verdicts(boolean found, Optional<Instant> modified, Map<String, String> byModule) {
        public Verdicts {
            requireNonNull(modified, "modified");
            byModule = Map.copyOf(requireNonNull(byModule, "byModule"));
        }
    }

    public Verdicts read() {
        try {
            Instant modified = Files.getLastModifiedTime(path).toInstant();
            return new Verdicts(true, Optional.of(modified), parse(Files.readString(path, StandardCharsets.UTF_8)));
        } catch (IOException | java.io.UncheckedIOException e) {
            return new Verdicts(false, Optional.empty(), Map.of());
        }
    }

    /** The first table's rows: first cell the module, last cell the verdict. */
    static Map<String, String> parse(String markdown) {
        Map<String, String> out = new LinkedHashMap<>();
        boolean inTable = false;
        boolean header = true;
        for (String line : markdown.split("\n")) {
            String t = line.strip();
            if (!t.startsWith("|")) {
                if (inTable) {
                    break;
                }
                continue;
            }
            inTable = true;
            String[] cells = t.substring(1, t.endsWith("|") ? t.length() - 1 : t.length()).split("\\|");
            if (header) {
                header = false;
                continue;
            }
            if (cells.length < 2 || cells[0].strip().startsWith("---")) {
                continue;
            }
            out.put(cells[0].strip(), cells[cells.length - 1].strip());
        }
        return out;
    }
}
