package dev.graft.host.parity;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report of a parity run: a table with one row per module (cases, generated, recorded,
 * mismatches, allowed, Lua lines covered, time per request on each side), then per module its
 * differences (module, phase, request, effect path, both values) and its unreached Lua lines.
 * As plain text for the terminal, Markdown, and a self-contained HTML page.
 */
public final class ParityReport {

    private static final String[] HEAD = {"module", "java?", "cases", "generated", "recorded", "mismatches",
            "allowed", "lua lines", "lua us/req", "java us/req", "fallbacks", "verdict"};

    private ParityReport() {}

    private static List<String[]> rows(ParityRun.Outcome.Done run) {
        List<String[]> rows = new ArrayList<>();
        for (ModuleResult m : run.modules()) {
            String verdict = m.setupError().isPresent() ? "NOT RUN" : m.mismatches() > 0
                    ? (m.servedByJava() || run.strict() ? "FAIL" : "differs") : "ok";
            rows.add(new String[] {m.module(), m.servedByJava() ? "java" : "lua", Integer.toString(m.cases()),
                    Integer.toString(m.generated()), Integer.toString(m.recorded()), Integer.toString(m.mismatches()),
                    Integer.toString(m.allowed()), m.linesCovered() + "/" + m.linesTotal()
                            + (m.linesTotal() == 0 ? "" : String.format(Locale.ROOT, " (%.0f%%)",
                            100.0 * m.linesCovered() / m.linesTotal())),
                    String.format(Locale.ROOT, "%.1f", m.luaMicros()), String.format(Locale.ROOT, "%.1f", m.javaMicros()),
                    Integer.toString(m.javaFallbacks()), verdict});
        }
        return rows;
    }

    /** The table, aligned, for the terminal. */
    public static String table(ParityRun.Outcome.Done run) {
        requireNonNull(run, "run");
        List<String[]> rows = rows(run);
        int[] w = new int[HEAD.length];
        for (int i = 0; i < HEAD.length; i++) {
            w[i] = HEAD[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, HEAD, w);
        StringBuilder rule = new StringBuilder();
        for (int x : w) {
            rule.append("-".repeat(x)).append("  ");
        }
        sb.append(rule.toString().stripTrailing()).append('\n');
        for (String[] r : rows) {
            line(sb, r, w);
        }
        sb.append(String.format(Locale.ROOT, "parity: %s in %.1f s%n", run.passed() ? "PASSED" : "FAILED",
                run.millis() / 1000.0));
        return sb.toString();
    }

    private static void line(StringBuilder sb, String[] cells, int[] w) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            l.append(String.format("%-" + w[i] + "s  ", cells[i]));
        }
        sb.append(l.toString().stripTrailing()).append('\n');
    }

    /** The differences and setup problems, for the terminal. */
    public static String details(ParityRun.Outcome.Done run) {
        StringBuilder sb = new StringBuilder();
        for (ModuleResult m : run.modules()) {
            m.setupError().ifPresent(e -> sb.append(m.module()).append(": not compared: ").append(e).append('\n'));
            for (Mismatch x : m.kept()) {
                sb.append(x.allowed().isPresent() ? "ALLOWED " : "MISMATCH ").append(x.describe()).append("\n\n");
            }
        }
        return sb.toString();
    }

    public static String markdown(ParityRun.Outcome.Done run) {
        StringBuilder sb = new StringBuilder("# Lua/Java parity\n\n");
        sb.append(run.passed() ? "**PASSED**" : "**FAILED**").append(String.format(Locale.ROOT,
                " in %.1f s. A module marked java is served from Java by the shipped config: a mismatch there fails "
                        + "the gate.%n%n", run.millis() / 1000.0));
        sb.append('|');
        for (String h : HEAD) {
            sb.append(' ').append(h).append(" |");
        }
        sb.append("\n|");
        sb.append(" --- |".repeat(HEAD.length)).append('\n');
        for (String[] r : rows(run)) {
            sb.append('|');
            for (String c : r) {
                sb.append(' ').append(c.replace("|", "\\|")).append(" |");
            }
            sb.append('\n');
        }
        for (ModuleResult m : run.modules()) {
            sb.append("\n## ").append(m.module()).append("\n\n");
            m.setupError().ifPresent(e -> sb.append("Not compared: ").append(e).append("\n\n"));
            for (String r : m.refusedSettings()) {
                sb.append("- settings the Java side refuses (kept on Lua): ").append(r).append('\n');
            }
            for (Mismatch x : m.kept()) {
                sb.append("\n").append(x.allowed().isPresent() ? "Allowed" : "**Mismatch**").append(": `")
                        .append(x.path()).append("` after ").append(x.phase()).append(" (").append(x.source())
                        .append(")\n\n```\n").append(x.request()).append("\nlua:  ").append(x.lua())
                        .append("\njava: ").append(x.java()).append("\n```\n");
            }
            if (!m.unreached().isEmpty()) {
                sb.append("\nLua lines no request reached:\n\n");
                m.unreached().forEach(u -> sb.append("- ").append(u).append('\n'));
            }
        }
        return sb.toString();
    }

    public static String html(ParityRun.Outcome.Done run) {
        StringBuilder sb = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Graft parity"
                + "</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px "
                + "solid #ccc;padding:4px 8px;text-align:right}td:first-child{text-align:left}.FAIL{background:#fdd}"
                + ".ok{background:#dfd}pre{background:#f6f6f6;padding:8px;white-space:pre-wrap}</style></head><body>");
        sb.append("<h1>Lua/Java parity: ").append(run.passed() ? "passed" : "FAILED").append("</h1><table><tr>");
        for (String h : HEAD) {
            sb.append("<th>").append(esc(h)).append("</th>");
        }
        sb.append("</tr>");
        for (String[] r : rows(run)) {
            sb.append("<tr class=\"").append(esc(r[r.length - 1])).append("\">");
            for (String c : r) {
                sb.append("<td>").append(esc(c)).append("</td>");
            }
            sb.append("</tr>");
        }
        sb.append("</table>");
        for (ModuleResult m : run.modules()) {
            sb.append("<h2>").append(esc(m.module())).append("</h2>");
            m.setupError().ifPresent(e -> sb.append("<p>Not compared: ").append(esc(e)).append("</p>"));
            for (Mismatch x : m.kept()) {
                sb.append("<h3>").append(x.allowed().isPresent() ? "Allowed" : "Mismatch").append(": <code>")
                        .append(esc(x.path())).append("</code> after ").append(esc(x.phase())).append("</h3><pre>")
                        .append(esc(x.source() + "\n" + x.request() + "\nlua:  " + x.lua() + "\njava: " + x.java()))
                        .append("</pre>");
            }
            if (!m.unreached().isEmpty()) {
                sb.append("<p>Lua lines no request reached:</p><ul>");
                m.unreached().forEach(u -> sb.append("<li>").append(esc(u)).append("</li>"));
                sb.append("</ul>");
            }
        }
        return sb.append("</body></html>\n").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Writes report.md and report.html into {@code dir}. */
    public static void write(ParityRun.Outcome.Done run, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.md"), markdown(run), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.html"), html(run), StandardCharsets.UTF_8);
    }
}
