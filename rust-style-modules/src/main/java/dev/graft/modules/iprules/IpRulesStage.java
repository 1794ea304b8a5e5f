package dev.graft.modules.iprules;

import dev.graft.bridge.CtxKeys;
import dev.graft.bridge.HeaderFields;
import dev.graft.bridge.Outcome;
import dev.graft.bridge.Phase;
import dev.graft.bridge.StageExchange;
import dev.graft.bridge.StageExchange.LogLevel;
import dev.graft.bridge.StageModule;
import dev.graft.modules.lua.HeaderLimit;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Java port of legacy-scripts/ip_rules/handler.lua: resolves the client address, publishes
 * it as {@code ngx.ctx.client_ip}, and refuses clients by the deny and allow lists.
 */
public final class IpRulesStage implements StageModule<IpRulesConfig> {

    @Override
    public String name() {
        return "ip_rules";
    }

    @Override
    public Class<IpRulesConfig> configType() {
        return IpRulesConfig.class;
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
    public Outcome access(StageExchange exchange, IpRulesConfig config) {
        config.loadProblems().reportOnce(exchange);
        if (HeaderLimit.exceeded(exchange.request().headers())) {
            return Outcome.fallback(HeaderLimit.FALLBACK);
        }
        List<String> forwarded = exchange.request().headers().all(config.chainHeader());
        IpRules.Decision d = IpRules.decide(exchange.remoteAddress(), forwarded, config);
        exchange.put(CtxKeys.CLIENT_IP, d.client());
        if (d.refusal().isPresent()) {
            exchange.log(LogLevel.INFO, "ip_rules: " + d.client() + " refused: " + d.refusal().get());
            byte[] body = (config.message() + "\n").getBytes(StandardCharsets.ISO_8859_1);
            return Outcome.exit(config.status(), List.of(Map.entry("Content-Type", "text/plain")), body);
        }
        config.clientIpHeader().ifPresent(h -> setRequestHeader(exchange.request().headers(), h, d.client()));
        return Outcome.proceed();
    }

    /** ngx.req.set_header: an empty value removes the header, as lua-nginx-module does. */
    private static void setRequestHeader(HeaderFields headers, String name, String value) {
        if (value.isEmpty()) {
            headers.remove(name);
        } else {
            headers.set(name, value);
        }
    }
}
