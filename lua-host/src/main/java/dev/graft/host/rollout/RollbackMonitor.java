package dev.graft.host.rollout;

import static java.util.Objects.requireNonNull;

import dev.graft.host.config.Rollout;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates each module's rollback thresholds and promotion steps on a timer of its own (off
 * the event loops). Per module with a {@code rollback} policy it keeps snapshots of the
 * module's {@link ModuleStats} and compares the newest with the oldest inside the window:
 * fallback rate, Java exception rate (both per Java stage call, once at least
 * {@code min_calls} Java calls are in the window) and the Java/Lua mean-latency ratio (once
 * both sides have {@code min_calls} calls, i.e. under canary). Crossing one switches the
 * module to Lua for every customer, live (one atomic swap of the mode table), logs why,
 * counts it ({@code graft_rollout_rollbacks_total{module,check}}), keeps it for
 * {@code GET /rollout}, audits it, and stops the module's promotion until an operator sets a
 * new rollout. With {@code steps}, a module whose checks held for {@code step_s} with at least
 * {@code min_calls} Java calls in the window advances to the next step.
 */
public final class RollbackMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RollbackMonitor.class);
    static final int KEPT_EVENTS = 100;

    private final LiveRollout live;
    private final RolloutAudit audit;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Map<String, Deque<Sample>> history = new HashMap<>();
    private final Map<String, Progress> progress = new ConcurrentHashMap<>();
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Deque<Event> events = new ArrayDeque<>();
    private ScheduledExecutorService timer;

    /** One rollback. */
    public record Event(Instant time, String module, String check, double value, double threshold, String from) {}

    /** A module's counts over its last window, as last evaluated. */
    public record Window(long seconds, ModuleStats.Totals totals) {}

    /** Where a module is in its promotion: the step index (-1: the configured mode) and since when. */
    record Progress(int step, Instant since, boolean rolledBack) {}

    private record Sample(Instant time, ModuleStats.Totals totals) {}

    public RollbackMonitor(LiveRollout live, RolloutAudit audit, Clock clock, MeterRegistry registry) {
        this.live = requireNonNull(live, "live");
        this.audit = requireNonNull(audit, "audit");
        this.clock = requireNonNull(clock, "clock");
        this.registry = requireNonNull(registry, "registry");
    }

    /** Evaluates every {@code tickMillis} on a daemon thread until closed. */
    public synchronized void start(long tickMillis) {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "graft-rollout");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                evaluate();
            } catch (RuntimeException e) {
                LOG.error("rollout: evaluation failed", e);
            }
        }, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    /** A module's rollout was set by an operator (or a reload): its promotion restarts from its mode. */
    public void reset(String module) {
        progress.remove(module);
    }

    /** Forgets every module's promotion state (a reload set the whole table). */
    public void resetAll() {
        progress.clear();
    }

    /** One evaluation of every module with a rollback policy (the timer calls it; tests may too). */
    public synchronized void evaluate() {
        Instant now = clock.instant();
        Rollout table = live.current();
        for (Map.Entry<String, Rollout.ModuleRollout> e : table.modules().entrySet()) {
            String module = e.getKey();
            Rollout.ModuleRollout mr = e.getValue();
            if (mr.rollback().isEmpty()) {
                continue;
            }
            Rollout.RollbackPolicy policy = mr.rollback().get();
            Deque<Sample> h = history.computeIfAbsent(module, m -> new ArrayDeque<>());
            h.addLast(new Sample(now, live.stats(module).totals()));
            Instant horizon = now.minusSeconds(policy.windowSeconds());
            while (h.size() >= 2 && !secondTime(h).isAfter(horizon)) {
                h.removeFirst(); // the baseline: the newest sample at or before the horizon
            }
            ModuleStats.Totals w = h.peekLast().totals().minus(h.peekFirst().totals());
            windows.put(module, new Window(policy.windowSeconds(), w));
            if (!servesJava(mr)) {
                promote(module, mr, policy, w, now);
                continue;
            }
            Optional<Event> breach = breach(module, policy, w, now, mr);
            if (breach.isPresent()) {
                rollback(breach.get(), mr);
                h.clear();
                continue;
            }
            promote(module, mr, policy, w, now);
        }
    }

    /** Whether the Java module runs for some customer (serving, or as a shadow). */
    private static boolean servesJava(Rollout.ModuleRollout mr) {
        return mr.mode().needsJava() || mr.customers().values().stream().anyMatch(Rollout.Mode::needsJava);
    }

    private static Optional<Event> breach(String module, Rollout.RollbackPolicy p, ModuleStats.Totals w, Instant now,
            Rollout.ModuleRollout mr) {
        String from = dev.graft.host.config.RolloutSyntax.json(mr.mode());
        if (p.maxMismatchRate().isPresent() && w.shadowRuns() >= p.minCalls()
                && w.mismatchRate() > p.maxMismatchRate().getAsDouble()) {
            return Optional.of(new Event(now, module, "mismatch_rate", w.mismatchRate(),
                    p.maxMismatchRate().getAsDouble(), from));
        }
        if (w.javaCalls() >= p.minCalls()) {
            if (p.maxFallbackRate().isPresent() && w.fallbackRate() > p.maxFallbackRate().getAsDouble()) {
                return Optional.of(new Event(now, module, "fallback_rate", w.fallbackRate(),
                        p.maxFallbackRate().getAsDouble(), from));
            }
            if (p.maxExceptionRate().isPresent() && w.exceptionRate() > p.maxExceptionRate().getAsDouble()) {
                return Optional.of(new Event(now, module, "exception_rate", w.exceptionRate(),
                        p.maxExceptionRate().getAsDouble(), from));
            }
            if (p.maxLatencyRatio().isPresent() && w.luaCalls() >= p.minCalls()
                    && w.latencyRatio() > p.maxLatencyRatio().getAsDouble()) {
                return Optional.of(new Event(now, module, "latency_ratio", w.latencyRatio(),
                        p.maxLatencyRatio().getAsDouble(), from));
            }
        }
        return Optional.empty();
    }

    private void rollback(Event ev, Rollout.ModuleRollout before) {
        live.update(t -> {
            Rollout.ModuleRollout mr = t.modules().get(ev.module());
            return mr == null ? t : t.with(ev.module(), mr.allOn(Rollout.Mode.LUA));
        });
        progress.put(ev.module(), new Progress(-1, ev.time(), true));
        synchronized (events) {
            events.addLast(ev);
            while (events.size() > KEPT_EVENTS) {
                events.removeFirst();
            }
        }
        Counter.builder("graft_rollout_rollbacks").description("Automatic rollbacks of a module to Lua")
                .tag("module", ev.module()).tag("check", ev.check()).register(registry).increment();
        String why = ev.check() + " " + ev.value() + " > " + ev.threshold() + " over the window";
        LOG.warn("rollout: {} rolled back to lua: {}", ev.module(), why);
        audit.record("auto-rollback", ev.module(), RolloutJson.module(before),
                RolloutJson.module(before.allOn(Rollout.Mode.LUA)), why);
    }

    private void promote(String module, Rollout.ModuleRollout mr, Rollout.RollbackPolicy policy,
            ModuleStats.Totals w, Instant now) {
        if (mr.steps().isEmpty()) {
            return;
        }
        Progress p = progress.computeIfAbsent(module, m -> new Progress(-1, now, false));
        if (p.rolledBack() || p.step() + 1 >= mr.steps().size()) {
            return;
        }
        // from a mode that serves no Java there is no evidence to wait for: time alone advances it
        boolean evidence = !servesJava(mr) || w.javaCalls() >= policy.minCalls()
                || w.shadowRuns() >= policy.minCalls();
        if (now.isBefore(p.since().plusSeconds(mr.stepSeconds())) || !evidence) {
            return;
        }
        int next = p.step() + 1;
        Rollout.Mode mode = mr.steps().get(next);
        Rollout.ModuleRollout promoted = new Rollout.ModuleRollout(mode, mr.customers(), mr.rollback(), mr.steps(),
                mr.stepSeconds());
        live.update(t -> t.with(module, promoted));
        progress.put(module, new Progress(next, now, false));
        LOG.info("rollout: {} promoted to step {} ({})", module, next + 1, mode.configName());
        audit.record("promotion", module, RolloutJson.module(mr), RolloutJson.module(promoted),
                "checks held for " + mr.stepSeconds() + " s: step " + (next + 1) + " of " + mr.steps().size());
    }

    /** The recent rollbacks, oldest first. */
    public List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** The last evaluated window of each module with a policy. */
    public Map<String, Window> windows() {
        return Map.copyOf(windows);
    }

    /** Where each module with steps is in its promotion. */
    Map<String, Progress> progress() {
        return Map.copyOf(progress);
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    private static Instant secondTime(Deque<Sample> h) {
        var it = h.iterator();
        it.next();
        return it.next().time();
    }
}
