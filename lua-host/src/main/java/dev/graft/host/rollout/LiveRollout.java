package dev.graft.host.rollout;

import static java.util.Objects.requireNonNull;

import dev.graft.host.config.Rollout;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The process's live mode table: the {@link Rollout} that the Java-backed handlers and the
 * native path consult on every request (one volatile read of an immutable table), swapped
 * atomically by the admin API, a reload and an automatic rollback, plus each module's call
 * statistics. Survives reloads (the server keeps one); a config generation binds the Java
 * settings of the customers its own rollout serves from Java, and the live table can only
 * narrow that (a change that needs more bindings goes through a reload).
 */
public final class LiveRollout {

    private final AtomicReference<Rollout> current;
    private final ConcurrentHashMap<String, ModuleStats> stats = new ConcurrentHashMap<>();
    private final boolean bindingsDecide;
    private final ShadowLab shadow;
    /** Whether the table has a shadow with Java serving: the native path looks no further when not. */
    private volatile boolean javaServedShadows;

    public LiveRollout(Rollout initial) {
        this(initial, false, new ShadowLab(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
    }

    /** A live table whose shadow counters go to {@code registry} (the server's /metrics). */
    public LiveRollout(Rollout initial, io.micrometer.core.instrument.MeterRegistry registry) {
        this(initial, false, new ShadowLab(registry));
    }

    private LiveRollout(Rollout initial, boolean bindingsDecide, ShadowLab shadow) {
        this.current = new AtomicReference<>(requireNonNull(initial, "initial"));
        this.bindingsDecide = bindingsDecide;
        this.shadow = shadow;
        this.javaServedShadows = javaServedShadows(initial);
    }

    /**
     * Whether some module is in a shadow with Java serving for some customer (one volatile read):
     * the native path checks each stage's mode only then. Set just after a swap of the table, so
     * a request racing a change may miss one shadow.
     */
    public boolean javaServedShadows() {
        return javaServedShadows;
    }

    private static boolean javaServedShadows(Rollout r) {
        for (Rollout.ModuleRollout m : r.modules().values()) {
            if (m.mode() instanceof Rollout.Mode.Shadow s && s.servesJava()) {
                return true;
            }
            for (Rollout.Mode c : m.customers().values()) {
                if (c instanceof Rollout.Mode.Shadow s && s.servesJava()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Where shadow runs go, and the mismatch store. */
    public ShadowLab shadow() {
        return shadow;
    }

    /**
     * A table that says Java for every module: a config generation's bindings alone decide, as
     * before live modes (benchmarks and tools that build a pipeline without a server).
     */
    public static LiveRollout bindingsDecide() {
        return new LiveRollout(Rollout.ALL_LUA, true,
                new ShadowLab(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
    }

    /** The table now. */
    public Rollout current() {
        return current.get();
    }

    /** The live mode of {@code module} for {@code customer}. */
    public Rollout.Mode mode(String module, String customer) {
        if (bindingsDecide) {
            return Rollout.Mode.JAVA;
        }
        return current.get().mode(module, customer);
    }

    /** Replaces the table; returns the one it replaced. */
    public Rollout set(Rollout next) {
        Rollout before = current.getAndSet(requireNonNull(next, "next"));
        javaServedShadows = javaServedShadows(current.get());
        return before;
    }

    /** Atomically applies {@code change} to the table; returns the new table. */
    public Rollout update(UnaryOperator<Rollout> change) {
        Rollout next = current.updateAndGet(change);
        javaServedShadows = javaServedShadows(current.get());
        return next;
    }

    /** {@code module}'s statistics (created on first use). */
    public ModuleStats stats(String module) {
        ModuleStats s = stats.get(module);
        return s != null ? s : stats.computeIfAbsent(module, m -> new ModuleStats());
    }
}
