package dev.graft.host.bridge;

import dev.graft.bridge.Outcome;
import dev.graft.bridge.Phase;
import dev.graft.bridge.StageExchange;
import dev.graft.bridge.StageModule;
import java.util.Set;

/**
 * A security-critical test stage (access only): {@code X-Guard-Java: throw} makes it throw,
 * {@code X-Block} refuses with 403; else it marks {@code guard=java}. Its Lua twin is
 * bridge-scripts/guard/handler.lua.
 */
public final class GuardStage implements StageModule<GuardStage.GuardConfig> {

    /** No settings. */
    public record GuardConfig() {}

    @Override
    public String name() {
        return "guard";
    }

    @Override
    public Class<GuardConfig> configType() {
        return GuardConfig.class;
    }

    @Override
    public Set<Phase> phases() {
        return Set.of(Phase.ACCESS);
    }

    @Override
    public boolean securityCritical() {
        return true;
    }

    @Override
    public Outcome access(StageExchange ex, GuardConfig config) {
        if (ex.request().headers().first("X-Guard-Java").filter("throw"::equals).isPresent()) {
            throw new IllegalStateException("guard: java failed");
        }
        if (ex.request().headers().contains("X-Block")) {
            return Outcome.exit(403);
        }
        ex.variable("guard", "java");
        return Outcome.proceed();
    }
}
