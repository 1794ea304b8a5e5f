package dev.graft.modules.redirects;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.Outcome;
import dev.graft.bridge.Phase;
import dev.graft.bridge.StageExchange;
import dev.graft.bridge.StageExchange.LogLevel;
import dev.graft.bridge.StageModule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** redirects in Java: the rewrite phase of {@code legacy-scripts/redirects/handler.lua}. */
public final class RedirectsStage implements StageModule<RedirectsConfig> {

    @Override
    public String name() {
        return "redirects";
    }

    @Override
    public Class<RedirectsConfig> configType() {
        return RedirectsConfig.class;
    }

    @Override
    public Set<Phase> phases() {
        return Set.of(Phase.REWRITE);
    }

    @Override
    public Outcome rewrite(StageExchange exchange, RedirectsConfig config) {
        requireNonNull(exchange, "exchange");
        requireNonNull(config, "config");
        RedirectPlan plan = config.plan();
        plan.problems().reportOnce(exchange);
        if (plan.rules().isEmpty()) {
            return Outcome.proceed();
        }
        Optional<Redirects.Redirect> found = Redirects.find(plan.rules(), exchange.request().uri(),
                exchange.request().args(), line -> exchange.log(LogLevel.ERR, line));
        if (found.isEmpty()) {
            return Outcome.proceed();
        }
        // ngx.redirect: Location as given, nginx's own page for the status
        Redirects.Redirect r = found.get();
        return new Outcome.Exit(r.status(), List.of(Map.entry("Location", r.location())), Optional.empty());
    }
}
