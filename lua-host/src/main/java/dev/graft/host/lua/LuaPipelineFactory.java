package dev.graft.host.lua;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.shared.SharedDicts;
import dev.graft.host.admin.GraftMetrics;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.lua.lib.NgxLibraries;
import dev.graft.host.lua.lib.NgxTime;
import dev.graft.host.lua.lib.RegexCache;
import java.time.InstantSource;
import java.util.List;

/**
 * Builds the {@link LuaPipeline} of each event loop for one config generation, with the full
 * {@code ngx} library set: what the server wiring calls. The scripts folder (and so each
 * compiled chunk) and the shared dictionaries are shared by all VMs of the generation;
 * everything else is per VM.
 *
 * <pre>
 *   LuaPipelineFactory lua = LuaPipelineFactory.of(config, metrics, dicts, InstantSource.system());
 *   for each event loop i of n:  switch (lua.create(i, n)) { case Ready r -> ...; case Failed f -> refuse }
 * </pre>
 */
public final class LuaPipelineFactory {

    private final GraftConfig config;
    private final GraftMetrics metrics;
    private final SharedDicts dicts;
    private final InstantSource clock;
    private final LuaScripts scripts;

    private LuaPipelineFactory(GraftConfig config, GraftMetrics metrics, SharedDicts dicts, InstantSource clock) {
        this.config = config;
        this.metrics = metrics;
        this.dicts = dicts;
        this.clock = clock;
        this.scripts = LuaScripts.open(config.scripts());
    }

    /**
     * A factory for {@code config}'s generation.
     *
     * @param dicts the process's {@code ngx.shared} dictionaries (kept across reloads if they should be)
     * @param clock the clock of {@code ngx.now()} and the shared dicts' expiry
     * @throws IllegalArgumentException if the scripts folder does not exist
     */
    public static LuaPipelineFactory of(GraftConfig config, GraftMetrics metrics, SharedDicts dicts,
            InstantSource clock) {
        return new LuaPipelineFactory(requireNonNull(config, "config"), requireNonNull(metrics, "metrics"),
                requireNonNull(dicts, "dicts"), requireNonNull(clock, "clock"));
    }

    /** Builds the pipeline of event loop {@code workerId} of {@code workerCount}; call it on any thread. */
    public LuaPipeline.Build create(int workerId, int workerCount) {
        NgxTime[] time = new NgxTime[1];
        LuaLibrary all = (g, ngx) -> time[0] = NgxLibraries.installAll(g, ngx, dicts, clock,
                java.time.ZoneId.systemDefault(), RegexCache.withDefaults());
        return LuaPipeline.create(config, scripts, metrics, workerId, workerCount, List.of(all),
                () -> time[0].refresh());
    }
}
