package dev.graft.modules.testing;

import dev.graft.bridge.StageModule;
import dev.graft.modules.accesslog.AccesslogStage;
import dev.graft.modules.auth.AuthStage;
import dev.graft.modules.cors.CorsStage;
import dev.graft.modules.iprules.IpRulesStage;
import dev.graft.modules.ratelimit.RateLimitStage;
import dev.graft.modules.router.RouterStage;
import dev.graft.modules.waf.WafStage;
import dev.graft.modules.cache.CacheStage;
import dev.graft.modules.headers.HeadersStage;
import dev.graft.modules.normalize.NormalizeStage;
import dev.graft.modules.redirects.RedirectsStage;
import java.util.List;

/**
 * The legacy pipeline's Java stages in the order {@link LegacyCases} must call them: every
 * rewrite first (as access, {@link RewriteFirst}), then the access phases, with the header
 * filters in pipeline order (normalize, redirects, headers, ip_rules, waf, ratelimit, auth, cors,
 * router, cache, accesslog).
 */
public final class P1Stages {

    private P1Stages() {}

    public static List<StageModule<?>> pipeline() {
        CacheStage cache = new CacheStage();
        return List.of(RewriteFirst.of(new NormalizeStage()), RewriteFirst.of(new RedirectsStage()),
                RewriteFirst.of(new HeadersStage()), RewriteFirst.rewriteOnly(cache), new IpRulesStage(),
                new WafStage(), new RateLimitStage(), new AuthStage(), new CorsStage(), new RouterStage(),
                RewriteFirst.headerFilterOnly(cache), new AccesslogStage());
    }
}
