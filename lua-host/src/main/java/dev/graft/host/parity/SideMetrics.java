package dev.graft.host.parity;

import dev.graft.host.admin.GraftMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * The metrics sink of one parity side: keeps what a request's failures and fallbacks were
 * (Lua errors, budget stops, Java exceptions, Java fallbacks), so that failures can be compared
 * as effects. Cleared before each request; confined to the harness thread.
 */
final class SideMetrics implements GraftMetrics {

    final List<String> failures = new ArrayList<>();
    final List<String> fallbacks = new ArrayList<>();
    int fallbackTotal;

    void clear() {
        failures.clear();
        fallbacks.clear();
    }

    @Override public void requestServed(String customer, int status) {}
    @Override public void upstreamLatency(String upstream, long nanos) {}
    @Override public void upstreamFailure(String upstream, String kind) {}

    @Override
    public void luaError(String module) {
        failures.add("lua error (" + module + ")");
    }

    @Override
    public void budgetStop(String module) {
        failures.add("lua budget stop (" + module + ")");
    }

    @Override
    public void stageException(String module) {
        failures.add("java exception (" + module + ")");
    }

    @Override
    public void stageFallback(String module, String reason) {
        if (!"exception".equals(reason)) {
            fallbacks.add(module + ": " + reason);
            fallbackTotal++;
        }
    }
}
