package dev.graft.bridge;

import java.util.Set;

/**
 * A Java implementation of one legacy stage: the module SPI. Implementations are found with
 * {@link java.util.ServiceLoader} (list them in
 * {@code META-INF/services/dev.graft.bridge.StageModule}) and must be stateless apart from
 * what they keep in shared dicts: the host calls one instance from every event loop at once.
 *
 * <p>A module overrides only the phases it declares in {@link #phases()}; the host never calls
 * the others, so an undeclared phase costs nothing. Each phase gets the exchange's typed views
 * and the customer's settings, bound from the same JSON the Lua handler gets as a table.
 *
 * <p>Exceptions are bugs: the host contains them, counts them and runs the Lua handler instead.
 * A module that cannot handle a request returns {@link Outcome#fallback(String)}.
 *
 * @param <C> the module's settings: an immutable record validated in its compact constructor,
 *            whose errors read {@code field: value (expected: ...)}
 */
public interface StageModule<C> {

    /** The module's name: its folder under legacy-scripts and its key in customer settings. */
    String name();

    /** The record the customer's settings for this module bind to. */
    Class<C> configType();

    /** The phases this module implements; the host calls no others. */
    Set<Phase> phases();

    /**
     * Whether a failure of this stage must never let a request through unchecked (WAF, auth,
     * IP rules, rate limits). The host then falls back to Lua on any Java failure and, if the
     * Lua side fails too, answers 500 rather than skipping the stage.
     */
    default boolean securityCritical() {
        return false;
    }

    /** Rewrite phase: before access control. Default: continue. */
    default Outcome rewrite(StageExchange exchange, C config) {
        return Outcome.proceed();
    }

    /** Access phase: access control and routing. Default: continue. */
    default Outcome access(StageExchange exchange, C config) {
        return Outcome.proceed();
    }

    /** Content phase: only when a stage asked to serve content. Default: continue. */
    default Outcome content(StageExchange exchange, C config) {
        return Outcome.proceed();
    }

    /** Header filter: the response head is known and may be changed. Default: continue. */
    default Outcome headerFilter(StageExchange exchange, C config) {
        return Outcome.proceed();
    }

    /** Body filter: one chunk of the response body, which the stage may replace. Default: continue. */
    default Outcome bodyFilter(StageExchange exchange, C config, BodyChunk chunk) {
        return Outcome.proceed();
    }

    /** Log phase: the response was sent. Only {@link Outcome.Continue} or a fallback make sense. */
    default Outcome log(StageExchange exchange, C config) {
        return Outcome.proceed();
    }
}
