package dev.graft.host.rollout;

import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of one module's stage calls since start, by side: what the rollback checks
 * turn into rates over a window (by differences of two {@link Totals}). Thread-safe and cheap:
 * a few {@link LongAdder} increments per Java-backed stage call.
 */
public final class ModuleStats {

    private final LongAdder javaCalls = new LongAdder();
    private final LongAdder javaNanos = new LongAdder();
    private final LongAdder fallbacks = new LongAdder();
    private final LongAdder exceptions = new LongAdder();
    private final LongAdder luaCalls = new LongAdder();
    private final LongAdder luaNanos = new LongAdder();
    private final LongAdder shadowRuns = new LongAdder();
    private final LongAdder shadowMismatches = new LongAdder();

    /** A Java stage call ended after {@code nanos}; {@code fallback}: Lua served it; {@code exception}: it threw. */
    public void javaCall(long nanos, boolean fallback, boolean exception) {
        javaCalls.increment();
        javaNanos.add(nanos);
        if (fallback) {
            fallbacks.increment();
        }
        if (exception) {
            exceptions.increment();
        }
    }

    /** The Lua handler of a Java-capable module served a stage (canary's Lua share) in {@code nanos}. */
    public void luaCall(long nanos) {
        luaCalls.increment();
        luaNanos.add(nanos);
    }

    /** A shadow run was compared; {@code mismatch}: its effects differed. */
    public void shadowRun(boolean mismatch) {
        shadowRuns.increment();
        if (mismatch) {
            shadowMismatches.increment();
        }
    }

    public Totals totals() {
        return new Totals(javaCalls.sum(), javaNanos.sum(), fallbacks.sum(), exceptions.sum(), luaCalls.sum(),
                luaNanos.sum(), shadowRuns.sum(), shadowMismatches.sum());
    }

    /** The totals at one moment; {@link #minus} gives a window's counts. */
    public record Totals(long javaCalls, long javaNanos, long fallbacks, long exceptions, long luaCalls,
                         long luaNanos, long shadowRuns, long shadowMismatches) {
        public static final Totals ZERO = new Totals(0, 0, 0, 0, 0, 0, 0, 0);

        public Totals minus(Totals earlier) {
            return new Totals(javaCalls - earlier.javaCalls, javaNanos - earlier.javaNanos,
                    fallbacks - earlier.fallbacks, exceptions - earlier.exceptions, luaCalls - earlier.luaCalls,
                    luaNanos - earlier.luaNanos, shadowRuns - earlier.shadowRuns,
                    shadowMismatches - earlier.shadowMismatches);
        }

        /** Shadow runs whose effects differed, per shadow run compared. */
        public double mismatchRate() {
            return shadowRuns == 0 ? 0 : (double) shadowMismatches / shadowRuns;
        }

        public double fallbackRate() {
            return javaCalls == 0 ? 0 : (double) fallbacks / javaCalls;
        }

        public double exceptionRate() {
            return javaCalls == 0 ? 0 : (double) exceptions / javaCalls;
        }

        /** Mean Java stage time over mean Lua stage time; NaN without calls on both sides. */
        public double latencyRatio() {
            if (javaCalls == 0 || luaCalls == 0 || luaNanos == 0) {
                return Double.NaN;
            }
            return ((double) javaNanos / javaCalls) / ((double) luaNanos / luaCalls);
        }
    }
}
