package dev.graft.host.rollout;

import dev.graft.host.config.Rollout;
import dev.graft.host.config.RolloutSyntax;
import java.util.Map;

/** Rollouts as JSON text in the config's own syntax ({@link RolloutSyntax}), for the admin API and the audit. */
final class RolloutJson {

    private RolloutJson() {}

    static String module(Rollout.ModuleRollout mr) {
        StringBuilder b = new StringBuilder("{\"mode\":").append(RolloutSyntax.json(mr.mode()));
        if (!mr.customers().isEmpty()) {
            b.append(",\"customers\":{");
            boolean first = true;
            for (Map.Entry<String, Rollout.Mode> c : new java.util.TreeMap<>(mr.customers()).entrySet()) {
                b.append(first ? "" : ",").append(quote(c.getKey())).append(':').append(RolloutSyntax.json(c.getValue()));
                first = false;
            }
            b.append('}');
        }
        mr.rollback().ifPresent(p -> {
            b.append(",\"rollback\":{\"window_s\":").append(p.windowSeconds()).append(",\"min_calls\":")
                    .append(p.minCalls());
            p.maxFallbackRate().ifPresent(v -> b.append(",\"max_fallback_rate\":").append(v));
            p.maxExceptionRate().ifPresent(v -> b.append(",\"max_exception_rate\":").append(v));
            p.maxLatencyRatio().ifPresent(v -> b.append(",\"max_latency_ratio\":").append(v));
            p.maxMismatchRate().ifPresent(v -> b.append(",\"max_mismatch_rate\":").append(v));
            b.append('}');
        });
        if (!mr.steps().isEmpty()) {
            b.append(",\"steps\":[");
            for (int i = 0; i < mr.steps().size(); i++) {
                b.append(i == 0 ? "" : ",").append(RolloutSyntax.json(mr.steps().get(i)));
            }
            b.append("],\"step_s\":").append(mr.stepSeconds());
        }
        return b.append('}').toString();
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
