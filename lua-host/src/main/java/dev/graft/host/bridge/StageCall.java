package dev.graft.host.bridge;

import dev.graft.bridge.BodyChunk;
import dev.graft.bridge.Outcome;
import dev.graft.bridge.Phase;
import dev.graft.bridge.StageExchange;
import dev.graft.bridge.StageModule;
import dev.graft.host.admin.GraftMetrics;
import dev.graft.host.rollout.ModuleStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls one phase of a Java stage and sorts how it ended: served by Java (continue, or an exit
 * its phase may have), or handed to Lua (a fallback, an exception, or an outcome the phase
 * cannot have), counting each hand-over by module and reason.
 */
final class StageCall {

    private static final Logger LOG = LoggerFactory.getLogger(StageCall.class);

    /** The reason counted when the module threw. */
    static final String EXCEPTION = "exception";
    /** The reason counted when the module returned an outcome its phase cannot have. */
    static final String BAD_OUTCOME = "bad_outcome";

    private StageCall() {}

    /** How the Java side of a stage ended. */
    sealed interface Result {
        /** Java served the stage: go on. */
        record Continue() implements Result {}

        /** Java served the stage and ends the request (or, in header_filter, replaces the response). */
        record Exit(Outcome.Exit exit) implements Result {}

        /** The Lua handler must serve this stage for this request. */
        record ToLua(String reason) implements Result {}

        Result CONTINUE = new Continue();
    }

    /**
     * Runs {@code phase} of {@code module} with {@code config}; never throws for the module's
     * failures ({@link RuntimeException}s and {@link StackOverflowError} are contained).
     *
     * @param chunk the body chunk in body_filter, else null
     */
    static Result run(StageModule<?> module, Object config, Phase phase, StageExchange exchange, BodyChunk chunk,
            LoopServices services) {
        return run(module, config, phase, exchange, chunk, services, services.rollout().stats(module.name()));
    }

    /**
     * As above, with the module's statistics already looked up ({@code services.rollout().stats(name)},
     * which a caller that runs the stage on every request keeps).
     */
    static Result run(StageModule<?> module, Object config, Phase phase, StageExchange exchange, BodyChunk chunk,
            LoopServices services, ModuleStats stats) {
        long start = System.nanoTime();
        Result r = sort(module, config, phase, exchange, chunk, services.metrics(), true);
        stats.javaCall(System.nanoTime() - start, r instanceof Result.ToLua,
                r instanceof Result.ToLua t && t.reason() == EXCEPTION);
        return r;
    }

    /** As above, timed on {@code timeline}: a stage that follows another directly starts where it ended. */
    static Result run(StageModule<?> module, Object config, Phase phase, StageExchange exchange, BodyChunk chunk,
            LoopServices services, ModuleStats stats, Timeline timeline) {
        long start = timeline.begin();
        Result r = sort(module, config, phase, exchange, chunk, services.metrics(), true);
        long end = System.nanoTime();
        timeline.mark = end;
        stats.javaCall(end - start, r instanceof Result.ToLua,
                r instanceof Result.ToLua t && t.reason() == EXCEPTION);
        return r;
    }

    /**
     * The clock of stage calls that follow each other directly (the native path's loop over a
     * phase): the end of one call is the start of the next, so each call reads the clock once
     * instead of twice (a read costs ~25 ns here, two per stage were ~1% of a request). The few
     * nanoseconds of the loop between two calls count to the later one. Work that is no stage's
     * (a Lua fallback, a shadow's copy) must not: {@link #restart} after it, or {@link #start} the
     * phase unchained when shadows can start between the calls. Confined to its loop.
     */
    static final class Timeline {
        private long mark;
        private boolean chained;

        /** Begins a phase; {@code chain}: its stage calls follow each other directly. */
        void start(boolean chain) {
            chained = chain;
            if (chain) {
                mark = System.nanoTime();
            }
        }

        /** After work between two calls that is no stage's. */
        void restart() {
            if (chained) {
                mark = System.nanoTime();
            }
        }

        private long begin() {
            return chained ? mark : System.nanoTime();
        }
    }

    /** As {@link #run} without logging, metrics or statistics: a shadow run. */
    static Result runQuiet(StageModule<?> module, Object config, Phase phase, StageExchange exchange) {
        return sort(module, config, phase, exchange, null, GraftMetrics.NONE, false);
    }

    private static Result sort(StageModule<?> module, Object config, Phase phase, StageExchange exchange,
            BodyChunk chunk, GraftMetrics metrics, boolean log) {
        Outcome outcome;
        try {
            outcome = invoke(module, config, phase, exchange, chunk);
        } catch (RuntimeException | StackOverflowError e) {
            metrics.stageException(module.name());
            metrics.stageFallback(module.name(), EXCEPTION);
            if (log) {
                LOG.error("[{}] java stage {} threw in {}; its Lua handler serves the stage", exchange.requestId(),
                        module.name(), phase.luaName(), e);
            }
            return new Result.ToLua(EXCEPTION);
        }
        return switch (outcome) {
            case Outcome.Continue c -> Result.CONTINUE;
            case Outcome.Exit x -> {
                boolean allowed = switch (phase) {
                    case REWRITE, ACCESS, CONTENT -> true;
                    // as ngx.exit there: a status only, no body (output is refused in header_filter)
                    case HEADER_FILTER -> x.body().isEmpty();
                    case BODY_FILTER, LOG -> false;
                };
                if (allowed) {
                    yield new Result.Exit(x);
                }
                metrics.stageFallback(module.name(), BAD_OUTCOME);
                if (log) {
                    LOG.error("[{}] java stage {} returned {} in {}; its Lua handler serves the stage",
                            exchange.requestId(), module.name(), x, phase.luaName());
                }
                yield new Result.ToLua(BAD_OUTCOME);
            }
            case Outcome.Fallback f -> {
                metrics.stageFallback(module.name(), f.reason());
                yield new Result.ToLua(f.reason());
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static <C> Outcome invoke(StageModule<C> module, Object config, Phase phase, StageExchange ex,
            BodyChunk chunk) {
        C c = (C) config;
        Outcome o = switch (phase) {
            case REWRITE -> module.rewrite(ex, c);
            case ACCESS -> module.access(ex, c);
            case CONTENT -> module.content(ex, c);
            case HEADER_FILTER -> module.headerFilter(ex, c);
            case BODY_FILTER -> module.bodyFilter(ex, c, chunk);
            case LOG -> module.log(ex, c);
        };
        if (o == null) {
            throw new IllegalStateException(module.name() + "." + phase.luaName() + " returned null");
        }
        return o;
    }
}
