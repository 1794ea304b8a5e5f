package dev.graft.tests.parity;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.BodyChunk;
import dev.graft.bridge.Outcome;
import dev.graft.bridge.Phase;
import dev.graft.bridge.StageExchange;
import dev.graft.bridge.StageModule;
import java.util.Set;

/**
 * A copy of a Java module with one deliberate behaviour change, registered under the module's
 * own name: every exit with status {@code from} answers {@code to} instead. Everything else is
 * the real module.
 */
final class DriftedStage<C> implements StageModule<C> {

    private final StageModule<C> real;
    private final int from;
    private final int to;

    DriftedStage(StageModule<C> real, int from, int to) {
        this.real = requireNonNull(real, "real");
        this.from = from;
        this.to = to;
    }

    @SuppressWarnings("unchecked")
    static <C> DriftedStage<C> of(StageModule<?> real, int from, int to) {
        return new DriftedStage<>((StageModule<C>) real, from, to);
    }

    private Outcome drift(Outcome o) {
        return o instanceof Outcome.Exit x && x.status() == from ? new Outcome.Exit(to, x.headers(), x.body()) : o;
    }

    @Override public String name() { return real.name(); }
    @Override public Class<C> configType() { return real.configType(); }
    @Override public Set<Phase> phases() { return real.phases(); }
    @Override public boolean securityCritical() { return real.securityCritical(); }
    @Override public Outcome rewrite(StageExchange ex, C c) { return drift(real.rewrite(ex, c)); }
    @Override public Outcome access(StageExchange ex, C c) { return drift(real.access(ex, c)); }
    @Override public Outcome content(StageExchange ex, C c) { return drift(real.content(ex, c)); }
    @Override public Outcome headerFilter(StageExchange ex, C c) { return drift(real.headerFilter(ex, c)); }
    @Override public Outcome bodyFilter(StageExchange ex, C c, BodyChunk chunk) { return drift(real.bodyFilter(ex, c, chunk)); }
    @Override public Outcome log(StageExchange ex, C c) { return drift(real.log(ex, c)); }
}
