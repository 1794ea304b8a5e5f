package dev.graft.host.parity;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.SortedMap;

/**
 * What one side did with one request: the exchange's observable state after each host phase
 * ({@code request} = rewrite, access and content; then {@code header_filter},
 * {@code body_filter}, {@code log}), as effect path to value, and the time the side took.
 *
 * @param phases snapshots in phase order; empty when the proxy refused the head
 * @param nanos  time spent in the pipeline
 */
record SideRun(List<Snapshot> phases, long nanos) {

    SideRun {
        phases = List.copyOf(requireNonNull(phases, "phases"));
    }

    /** The state after one phase. */
    record Snapshot(String phase, SortedMap<String, String> effects) {}
}
