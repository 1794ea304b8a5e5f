package dev.graft.modules.waf;

import dev.graft.bridge.CtxKeys;
import dev.graft.bridge.HeaderFields;
import dev.graft.bridge.Outcome;
import dev.graft.bridge.Phase;
import dev.graft.bridge.StageExchange;
import dev.graft.bridge.StageExchange.LogLevel;
import dev.graft.bridge.StageModule;
import dev.graft.modules.lua.LuaText;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The anomaly-scoring web application firewall: the Java side of legacy-scripts/waf/handler.lua
 * (access phase). Every active rule is checked against the request parts it targets; each
 * matching rule adds its score once; in block mode a score at the threshold refuses the
 * request with 403. Results go to {@code ngx.ctx.waf_matches} / {@code waf_score} and, unless
 * switched off, to the upstream as X-Waf-Score / X-Waf-Matches.
 */
public final class WafStage implements StageModule<WafConfig> {

    static final String SCORE_HEADER = "X-Waf-Score";
    static final String MATCHES_HEADER = "X-Waf-Matches";
    /** ngx.req.get_headers(100): Lua sees only the first 100 header lines. */
    private static final int MAX_HEADERS = 100;

    @Override
    public String name() {
        return "waf";
    }

    @Override
    public Class<WafConfig> configType() {
        return WafConfig.class;
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
    public Outcome access(StageExchange exchange, WafConfig config) {
        WafPolicy p = config.policy();
        if (p.firstUse()) {
            for (String line : p.problems()) {
                exchange.log(LogLevel.ERR, line);
            }
        }
        HeaderFields requestHeaders = exchange.request().headers();
        if (p.mode() == WafPolicy.Mode.OFF) {
            // nothing inspected, but a client must not be able to forge our verdict upstream
            if (p.upstreamHeaders()) {
                requestHeaders.remove(SCORE_HEADER);
                requestHeaders.remove(MATCHES_HEADER);
            }
            return Outcome.proceed();
        }
        RequestParts parts = new RequestParts(exchange.request(), p);
        if (parts.headerLines() > MAX_HEADERS) {
            // which headers Lua sees depends on the order of the lines: let Lua decide
            return Outcome.fallback("over 100 request headers");
        }

        Rules.Verdict v = Rules.match(p.plan(), parts);
        exchange.put(CtxKeys.WAF_MATCHES, v.matches());
        exchange.put(CtxKeys.WAF_SCORE, v.score());

        String ids = v.matches().stream().map(String::valueOf).collect(Collectors.joining(","));
        if (p.upstreamHeaders()) {
            requestHeaders.set(SCORE_HEADER, Long.toString(v.score()));
            if (ids.isEmpty()) {
                requestHeaders.remove(MATCHES_HEADER);
            } else {
                requestHeaders.set(MATCHES_HEADER, ids);
            }
        }
        if (ids.isEmpty()) {
            return Outcome.proceed();
        }
        boolean blocked = p.mode() == WafPolicy.Mode.BLOCK && v.score() >= p.threshold();
        exchange.log(LogLevel.WARN, "waf: customer=" + LuaText.bytes(exchange.customer())
                + " score=" + v.score() + " threshold="
                + p.threshold() + " mode=" + p.mode().luaName() + " action=" + (blocked ? "block" : "pass")
                + " rules=" + ids);
        if (!blocked) {
            return Outcome.proceed();
        }
        byte[] body = ("Forbidden: the request was blocked by the web application firewall.\nRequest ID: "
                + exchange.requestId() + "\n").getBytes(StandardCharsets.UTF_8);
        return Outcome.exit(403, List.of(Map.entry("Content-Type", "text/plain"), Map.entry("Cache-Control", "no-store")),
                body);
    }
}
