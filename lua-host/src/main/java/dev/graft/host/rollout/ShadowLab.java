package dev.graft.host.rollout;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where shadow runs go: one background thread (off the event loops; a bounded queue, a full
 * queue drops the shadow and counts it), the CPU cap, the bounded mismatch store, and the
 * {@code graft_shadow_*} counters.
 *
 * <p>CPU cap: the time spent in shadow runs is summed over a fixed {@value #WINDOW_MILLIS} ms
 * window; while it exceeds the module's {@code max_cpu_share} of that window, new shadows are
 * skipped (counted as {@code skipped{reason="cpu"}}). The cost of the copy on the event loop is
 * not in the sum (it is a few header copies). For Lua shadows (Java serving) the sum includes
 * copying live entries into the dict overlay and, once per config generation, building the shadow VM
 * ({@link #luaSide}).
 */
public final class ShadowLab implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ShadowLab.class);

    static final long WINDOW_MILLIS = 10_000;
    static final int KEPT = 200;
    private static final int QUEUE = 1000;

    private final MeterRegistry registry;
    private final Deque<ShadowMismatch> store = new ArrayDeque<>();
    private final AtomicLong windowStart = new AtomicLong(System.nanoTime());
    private final AtomicLong spentNanos = new AtomicLong();
    private volatile ThreadPoolExecutor executor;
    /** The Lua sides of the last config generations a Lua shadow ran in (shadow thread only). */
    private final java.util.ArrayDeque<Generation> luaSides = new java.util.ArrayDeque<>();

    /** A generation's Lua side, or why it did not build (not retried: the generation's scripts are fixed). */
    private record Generation(dev.graft.host.config.GraftConfig config,
                              java.util.Optional<dev.graft.host.parity.ShadowSide> side, String failure) {}

    public ShadowLab(MeterRegistry registry) {
        this.registry = requireNonNull(registry, "registry");
    }

    /** One differing effect of a shadowed stage call. */
    public record Diff(String path, String lua, String java) {
        public static final String ABSENT = "<absent>";
    }

    /**
     * One shadowed stage call whose effects differ.
     *
     * @param served  the side that served the request: "lua" (Java was the shadow) or "java"
     * @param request the request as it reached the stage (headers in order, secrets redacted)
     * @param lua     every effect of the Lua side (serving or shadow), for an exported case's expectations
     */
    public record ShadowMismatch(Instant time, String module, String customer, String phase, String requestId,
                                 String served, RequestRecord request, List<Diff> diffs,
                                 SortedMap<String, String> lua) {
        public ShadowMismatch {
            diffs = List.copyOf(diffs);
        }
    }

    /** A request as the client sent it, redacted. */
    public record RequestRecord(String method, String target, List<List<String>> headers, String client) {
        public RequestRecord {
            headers = List.copyOf(headers);
        }
    }

    /** Whether a new shadow may start under {@code maxCpuShare}; counts a skip when not. */
    public boolean admit(String module, double maxCpuShare) {
        long now = System.nanoTime();
        long start = windowStart.get();
        if (now - start > TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS) && windowStart.compareAndSet(start, now)) {
            spentNanos.set(0);
        }
        long allowed = (long) (maxCpuShare * TimeUnit.MILLISECONDS.toNanos(WINDOW_MILLIS));
        if (spentNanos.get() > allowed) {
            skipped(module, "cpu");
            return false;
        }
        return true;
    }

    /** Runs {@code shadow} on the shadow thread; counts a skip when the queue is full. */
    public void submit(String module, Runnable shadow) {
        try {
            executor().execute(() -> {
                long t0 = System.nanoTime();
                try {
                    shadow.run();
                } finally {
                    spentNanos.addAndGet(System.nanoTime() - t0);
                }
            });
        } catch (RejectedExecutionException e) {
            skipped(module, "queue");
        }
    }

    private ThreadPoolExecutor executor() {
        ThreadPoolExecutor e = executor;
        if (e == null) {
            synchronized (this) {
                e = executor;
                if (e == null) {
                    e = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
                        Thread t = new Thread(r, "graft-shadow");
                        t.setDaemon(true);
                        return t;
                    }, new ThreadPoolExecutor.AbortPolicy());
                    executor = e;
                }
            }
        }
        return e;
    }

    /**
     * The Lua side that runs Lua shadows of {@code config}'s generation, built on first use (on
     * the shadow thread: a VM and the scripts compiled, off the event loops); empty, counted as
     * {@code skipped{reason="vm"}}, when it does not build. The last two generations are kept:
     * requests in flight across a reload finish on the old one.
     */
    public synchronized java.util.Optional<dev.graft.host.parity.ShadowSide> luaSide(String module,
            dev.graft.host.config.GraftConfig config) {
        requireNonNull(config, "config");
        Generation found = null;
        for (Generation g : luaSides) {
            if (g.config() == config) {
                found = g;
            }
        }
        if (found == null) {
            found = switch (dev.graft.host.parity.ShadowSide.build(config)) {
                case dev.graft.host.parity.ShadowSide.Built.Ready r ->
                        new Generation(config, java.util.Optional.of(r.side()), "");
                case dev.graft.host.parity.ShadowSide.Built.Failed f -> {
                    LOG.error("shadow: the Lua side of the config generation does not build, no Lua shadow runs: {}",
                            f.message());
                    yield new Generation(config, java.util.Optional.empty(), f.message());
                }
            };
            luaSides.addLast(found);
            while (luaSides.size() > 2) {
                luaSides.removeFirst().side().ifPresent(dev.graft.host.parity.ShadowSide::close);
            }
        }
        if (found.side().isEmpty()) {
            skipped(module, "vm");
        }
        return found.side();
    }

    /** A shadow compared equal (or the Java side fell back, which serves the Lua result by design). */
    public void compared(String module, ModuleStats stats, boolean fallback) {
        stats.shadowRun(false);
        Counter.builder("graft_shadow_comparisons").description("Shadow runs compared, by module and result")
                .tag("module", module).tag("result", fallback ? "fallback" : "equal").register(registry).increment();
    }

    /** A shadow whose effects differ: kept, counted per module and effect path. */
    public void mismatch(ShadowMismatch m, ModuleStats stats) {
        stats.shadowRun(true);
        Counter.builder("graft_shadow_comparisons").description("Shadow runs compared, by module and result")
                .tag("module", m.module()).tag("result", "mismatch").register(registry).increment();
        for (Diff d : m.diffs()) {
            Counter.builder("graft_shadow_mismatches").description("Differing effects seen in shadow runs")
                    .tag("module", m.module()).tag("path", pathFamily(d.path())).register(registry).increment();
        }
        synchronized (store) {
            store.addLast(m);
            while (store.size() > KEPT) {
                store.removeFirst();
            }
        }
    }

    /** A sampled shadow that did not run for {@code reason}. */
    public void skipped(String module, String reason) {
        Counter.builder("graft_shadow_skipped").description("Sampled shadow runs not run (cpu cap, full queue)")
                .tag("module", module).tag("reason", reason).register(registry).increment();
    }

    /**
     * The metric label of an effect path: header and variable paths keep their name (a bounded
     * set in practice: the module's own); ctx and output paths likewise.
     */
    static String pathFamily(String path) {
        return path.length() > 80 ? path.substring(0, 80) : path;
    }

    /** The kept mismatches, oldest first. */
    public List<ShadowMismatch> mismatches() {
        synchronized (store) {
            return List.copyOf(store);
        }
    }

    /** Waits until the queued shadows ran (tests). */
    public void drain() throws InterruptedException {
        ThreadPoolExecutor e = executor;
        while (e != null && (e.getActiveCount() > 0 || !e.getQueue().isEmpty())) {
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        ThreadPoolExecutor e = executor;
        if (e != null) {
            e.shutdownNow();
        }
        synchronized (this) {
            luaSides.forEach(g -> g.side().ifPresent(dev.graft.host.parity.ShadowSide::close));
            luaSides.clear();
        }
    }
}
