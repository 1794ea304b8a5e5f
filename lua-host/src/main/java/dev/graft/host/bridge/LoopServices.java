package dev.graft.host.bridge;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.shared.SharedDicts;
import dev.graft.host.admin.GraftMetrics;
import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * What Java stages of one event loop share with that loop's Lua VM: the shared dicts, the
 * clock that {@code ngx.now()} reads (the VM's cached time), randomness, the default upstream,
 * and the metrics. Confined to its event loop, like the VM.
 *
 * @param dicts           the process's {@code ngx.shared} dictionaries
 * @param clock           {@code ngx.now()}'s clock: the VM's time cache
 * @param random          this loop's randomness
 * @param defaultUpstream {@code $graft_upstream} before a stage sets it ("" for none)
 * @param metrics         where fallbacks, exceptions and Lua entries are counted
 * @param rollout         the live mode table (canary choices, rollbacks) and per-module call statistics
 * @param generation      the config generation these services belong to: a Lua shadow (Java serving)
 *                        runs in that generation's shadow VM; empty in tools, where no Lua shadow runs
 */
public record LoopServices(SharedDicts dicts, Clock clock, RandomGenerator random, String defaultUpstream,
                           GraftMetrics metrics, dev.graft.host.rollout.LiveRollout rollout,
                           java.util.Optional<dev.graft.host.config.GraftConfig> generation) {

    /** Services of no config generation (tools and benchmarks: no Lua shadow runs). */
    public LoopServices(SharedDicts dicts, Clock clock, RandomGenerator random, String defaultUpstream,
                        GraftMetrics metrics, dev.graft.host.rollout.LiveRollout rollout) {
        this(dicts, clock, random, defaultUpstream, metrics, rollout, java.util.Optional.empty());
    }

    /** Services without a live table: the generation's own bindings decide who serves. */
    public LoopServices(SharedDicts dicts, Clock clock, RandomGenerator random, String defaultUpstream,
                        GraftMetrics metrics) {
        this(dicts, clock, random, defaultUpstream, metrics, dev.graft.host.rollout.LiveRollout.bindingsDecide());
    }

    public LoopServices {
        requireNonNull(generation, "generation");
        requireNonNull(rollout, "rollout");
        requireNonNull(dicts, "dicts");
        requireNonNull(clock, "clock");
        requireNonNull(random, "random");
        requireNonNull(defaultUpstream, "defaultUpstream");
        requireNonNull(metrics, "metrics");
    }
}
