package dev.graft.host.parity;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one module's comparison, as the report shows it.
 *
 * @param module         the module
 * @param servedByJava   whether the shipped config serves it from Java (a mismatch then fails the gate)
 * @param cases          case sequences compared
 * @param generated      generated requests compared
 * @param recorded       recorded requests compared
 * @param mismatches     requests with a difference no unexpired allow-list entry accepts
 * @param allowed        requests whose differences are all accepted
 * @param linesCovered   Lua lines of the module the corpus ran
 * @param linesTotal     executable Lua lines of the module
 * @param unreached      per file, the lines no request ran
 * @param luaMicros      mean time per request on the all-Lua side, in microseconds
 * @param javaMicros     mean time per request with the module in Java
 * @param javaFallbacks  stages the Java side handed to Lua (Outcome.Fallback)
 * @param kept           the first differences, with both values
 * @param refusedSettings customers whose settings the Java side refuses (a load-time error)
 * @param setupError     why the module could not be compared, if it could not
 */
public record ModuleResult(String module, boolean servedByJava, int cases, int generated, int recorded,
                           int mismatches, int allowed, int linesCovered, int linesTotal, List<String> unreached,
                           double luaMicros, double javaMicros, int javaFallbacks, List<Mismatch> kept,
                           List<String> refusedSettings, Optional<String> setupError) {

    public ModuleResult {
        requireNonNull(module, "module");
        unreached = List.copyOf(unreached);
        kept = List.copyOf(kept);
        refusedSettings = List.copyOf(refusedSettings);
        requireNonNull(setupError, "setupError");
    }

    /** Whether this module fails the gate. */
    public boolean fails() {
        return servedByJava && (mismatches > 0 || setupError.isPresent());
    }

    static ModuleResult failedSetup(String module, boolean servedByJava, String why) {
        return new ModuleResult(module, servedByJava, 0, 0, 0, 0, 0, 0, 0, List.of(), 0, 0, 0, List.of(), List.of(),
                Optional.of(why));
    }

    /** Collects a module's counts while it runs. */
    static final class Builder {
        private final String module;
        private final boolean servedByJava;
        private int cases;
        private int generated;
        private int recorded;
        private int mismatches;
        private int allowed;
        private long requests;
        private long luaNanos;
        private long javaNanos;
        private int shrinks;
        private final List<Mismatch> kept = new ArrayList<>();
        private final List<String> refused = new ArrayList<>();

        Builder(String module, boolean servedByJava) {
            this.module = module;
            this.servedByJava = servedByJava;
        }

        void sequence(Sequence.Kind kind, int requests) {
            switch (kind) {
                case CASE -> cases++;
                case GENERATED -> generated += requests;
                case RECORDED -> recorded += requests;
            }
        }

        void request(boolean failed) {
            if (failed) {
                mismatches++;
            } else {
                allowed++;
            }
        }

        void time(long lua, long java) {
            requests++;
            luaNanos += lua;
            javaNanos += java;
        }

        int kept() {
            return kept.size();
        }

        void keep(Mismatch m) {
            kept.add(m);
        }

        int mismatchCount() {
            return mismatches;
        }

        int shrinks() {
            return shrinks;
        }

        void shrunk() {
            shrinks++;
        }

        void refusedSetting(String s) {
            refused.add(s);
        }

        ModuleResult build(LuaLineCoverage coverage, int javaFallbacks) {
            List<String> unreached = new ArrayList<>();
            for (LuaLineCoverage.FileCoverage f : coverage.files()) {
                if (!f.unreached().isEmpty()) {
                    unreached.add(f.file() + ": " + ranges(f.unreached()));
                }
            }
            double n = Math.max(1, requests);
            return new ModuleResult(module, servedByJava, cases, generated, recorded, mismatches, allowed,
                    coverage.coveredLines(), coverage.executableLines(), unreached, luaNanos / n / 1000.0,
                    javaNanos / n / 1000.0, javaFallbacks, kept, refused, Optional.empty());
        }

        private static String ranges(List<Integer> lines) {
            StringBuilder sb = new StringBuilder();
            int i = 0;
            while (i < lines.size()) {
                int start = lines.get(i);
                int end = start;
                while (i + 1 < lines.size() && lines.get(i + 1) == end + 1) {
                    end = lines.get(++i);
                }
                if (!sb.isEmpty()) {
                    sb.append(", ");
                }
                sb.append(start == end ? Integer.toString(start) : start + "-" + end);
                i++;
            }
            return sb.toString();
        }
    }
}
