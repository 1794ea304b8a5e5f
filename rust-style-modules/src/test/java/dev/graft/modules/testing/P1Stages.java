package dev.graft.modules.testing;

import dev.graft.bridge.StageModule;
import dev.graft.modules.accesslog.AccesslogStage;
import dev.graft.modules.cache.CacheStage;
import dev.graft.modules.headers.HeadersStage;
import dev.graft.modules.normalize.NormalizeStage;
import dev.graft.modules.redirects.RedirectsStage;
import java.util.List;

/** normalize, redirects, headers, cache and accesslog in pipeline order, rewrite phases run first ({@link RewriteFirst}). */
public final class P1Stages {

    private P1Stages() {}

    public static List<StageModule<?>> pipeline() {
        return List.of(RewriteFirst.of(new NormalizeStage()), RewriteFirst.of(new RedirectsStage()),
                RewriteFirst.of(new HeadersStage()), RewriteFirst.of(new CacheStage()), new AccesslogStage());
    }
}
