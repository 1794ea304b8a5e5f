package dev.graft.bench.bridge;

import dev.graft.bridge.Outcome;
import dev.graft.bridge.Phase;
import dev.graft.bridge.StageExchange;
import dev.graft.bridge.StageModule;
import java.util.Optional;
import java.util.Set;

/**
 * Java stages that exist only to measure the bridge, each with a Lua twin written by
 * {@link BridgeBench}: one that does nothing, and one that reads a request header ten times.
 */
final class BenchModules {

    private BenchModules() {}

    /** The settings of both stages: none. */
    record NoSettings() {}

    /** An access phase that does nothing. */
    record Noop(String name) implements StageModule<NoSettings> {
        @Override
        public Class<NoSettings> configType() {
            return NoSettings.class;
        }

        @Override
        public Set<Phase> phases() {
            return Set.of(Phase.ACCESS);
        }

        @Override
        public Outcome access(StageExchange exchange, NoSettings config) {
            return Outcome.proceed();
        }
    }

    /** An access phase that reads User-Agent through the typed view ten times. */
    record HeaderReads(String name) implements StageModule<NoSettings> {
        @Override
        public Class<NoSettings> configType() {
            return NoSettings.class;
        }

        @Override
        public Set<Phase> phases() {
            return Set.of(Phase.ACCESS);
        }

        @Override
        public Outcome access(StageExchange exchange, NoSettings config) {
            Optional<String> v = Optional.empty();
            for (int i = 0; i < BridgeBench.READS; i++) {
                v = exchange.request().headers().first("User-Agent");
            }
            return v.isPresent() ? Outcome.proceed() : Outcome.fallback("no user agent");
        }
    }
}
