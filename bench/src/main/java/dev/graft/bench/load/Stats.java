package dev.graft.bench.load;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.DoubleStream;

/** Medians and spreads of repeated measurements. */
final class Stats {

    private Stats() {}

    static double median(DoubleStream values) {
        double[] v = values.sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** "median [min-max]" with the given format for each number. */
    static String spread(double[] values, String format) {
        if (values.length == 0) {
            return "n/a";
        }
        double[] v = values.clone();
        Arrays.sort(v);
        String med = String.format(Locale.ROOT, format, median(Arrays.stream(v)));
        if (v.length == 1) {
            return med;
        }
        return med + " [" + String.format(Locale.ROOT, format, v[0]) + "–"
                + String.format(Locale.ROOT, format, v[v.length - 1]) + "]";
    }
}
