package dev.graft.modules.testing;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.Outcome;
import dev.graft.bridge.Phase;
import dev.graft.bridge.StageExchange;
import dev.graft.bridge.StageModule;
import java.util.EnumSet;
import java.util.Set;

/**
 * Presents a stage's rewrite phase as its access phase, for {@link LegacyCases} (which runs the
 * access phases, then the header filters): every rewrite runs before every access in OpenResty,
 * so listing rewrite stages first in pipeline order keeps the real order. A stage with both
 * rewrite and access runs them one after the other.
 */
public record RewriteFirst<C>(StageModule<C> stage, boolean filters) implements StageModule<C> {

    public RewriteFirst {
        requireNonNull(stage, "stage");
    }

    /** The stage's rewrite (as access), access and header filter. */
    public static <C> RewriteFirst<C> of(StageModule<C> stage) {
        return new RewriteFirst<>(stage, true);
    }

    /**
     * The stage's rewrite (as access) alone, for a stage whose header filter runs later in the
     * pipeline than other stages' access phases: list {@link #headerFilterOnly} at its place.
     */
    public static <C> RewriteFirst<C> rewriteOnly(StageModule<C> stage) {
        return new RewriteFirst<>(stage, false);
    }

    /** The stage's header filter alone. */
    public static <C> StageModule<C> headerFilterOnly(StageModule<C> stage) {
        return new StageModule<>() {
            @Override public String name() { return stage.name(); }
            @Override public Class<C> configType() { return stage.configType(); }
            @Override public Set<Phase> phases() { return Set.of(Phase.HEADER_FILTER); }

            @Override
            public Outcome headerFilter(StageExchange exchange, C config) {
                return stage.headerFilter(exchange, config);
            }
        };
    }

    @Override public String name() { return stage.name(); }
    @Override public Class<C> configType() { return stage.configType(); }

    @Override
    public Set<Phase> phases() {
        EnumSet<Phase> p = EnumSet.copyOf(stage.phases());
        if (p.remove(Phase.REWRITE)) {
            p.add(Phase.ACCESS);
        }
        if (!filters) {
            p.retainAll(EnumSet.of(Phase.ACCESS));
        }
        return p;
    }

    @Override
    public Outcome access(StageExchange exchange, C config) {
        if (stage.phases().contains(Phase.REWRITE)) {
            Outcome out = stage.rewrite(exchange, config);
            if (!(out instanceof Outcome.Continue) || !stage.phases().contains(Phase.ACCESS)) {
                return out;
            }
        }
        return stage.access(exchange, config);
    }

    @Override
    public Outcome headerFilter(StageExchange exchange, C config) {
        return stage.headerFilter(exchange, config);
    }

    @Override
    public Outcome log(StageExchange exchange, C config) {
        return stage.log(exchange, config);
    }
}
