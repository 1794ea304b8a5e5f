package dev.graft.host.proxy;

import dev.graft.host.admin.GraftMetrics;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Metrics that remember what was reported, for assertions. */
final class RecordingMetrics implements GraftMetrics {

    final List<String> served = new CopyOnWriteArrayList<>();
    final List<String> failures = new CopyOnWriteArrayList<>();
    final List<String> latencies = new CopyOnWriteArrayList<>();

    @Override public void requestServed(String customer, int status) { served.add(customer + ":" + status); }
    @Override public void upstreamLatency(String upstream, long nanos) { latencies.add(upstream); }
    @Override public void upstreamFailure(String upstream, String kind) { failures.add(upstream + ":" + kind); }
    @Override public void luaError(String module) {}
    @Override public void budgetStop(String module) {}
}
