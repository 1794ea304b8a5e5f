package dev.graft.host.lua;

import static dev.graft.host.lua.LuaFixture.exchange;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.shared.SharedDicts;
import dev.graft.host.admin.GraftMetrics;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.exchange.RequestPipeline.Verdict;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real legacy pipeline (legacy-scripts/graft.json, pipeline.lua and every module) built
 * through {@link LuaPipelineFactory} with the full ngx library set: the driver initialises in
 * LuaJ and serves requests without Lua errors.
 */
class LegacyPipelineTest {

    final List<String> failures = new ArrayList<>();
    final GraftMetrics metrics = new GraftMetrics() {
        @Override public void requestServed(String customer, int status) {}
        @Override public void upstreamLatency(String upstream, long nanos) {}
        @Override public void upstreamFailure(String upstream, String kind) {}
        @Override public void luaError(String module) { failures.add("error:" + module); }
        @Override public void budgetStop(String module) { failures.add("budget:" + module); }
    };
    LuaPipeline pipeline;

    @BeforeEach
    void setUp() {
        ConfigResult loaded = ConfigLoader.load(Path.of("../legacy-scripts/graft.json"));
        assertThat(loaded).isInstanceOf(ConfigResult.Valid.class);
        GraftConfig config = ((ConfigResult.Valid) loaded).config();
        LuaPipelineFactory factory = LuaPipelineFactory.of(config, metrics,
                SharedDicts.of(config.sharedDicts(), InstantSource.system()), InstantSource.system());
        LuaPipeline.Build build = factory.create(0, 2);
        assertThat(build).isInstanceOf(LuaPipeline.Build.Ready.class);
        pipeline = ((LuaPipeline.Build.Ready) build).pipeline();
    }

    @Test
    void unknownHostIs404() {
        Exchange ex = exchange("GET", "/", "Host", "nobody.test");
        assertThat(pipeline.onRequest(ex)).isEqualTo(Verdict.RESPOND);
        assertThat(ex.status()).isEqualTo(404);
        assertThat(LuaPipeline.customer(ex)).isEmpty();
        assertThat(failures).isEmpty();
    }

    @Test
    void customersAreServedWithoutLuaErrors() {
        for (String host : List.of("shop.test", "media.test", "legacy.test")) {
            Exchange ex = exchange("GET", "/index.html?a=1", "Host", host, "User-Agent", "curl/8.0");
            Verdict v = pipeline.onRequest(ex);
            assertThat(ex.status()).as(host).isNotEqualTo(500);
            if (v == Verdict.PROXY) {
                ex.status(200);
            }
            pipeline.onResponseHead(ex);
            if (pipeline.filtersBody(ex)) {
                pipeline.onResponseBody(ex, "body".getBytes(), true);
            }
            pipeline.onLog(ex);
            assertThat(LuaPipeline.customer(ex)).as(host).isPresent();
        }
        assertThat(failures).isEmpty();
    }
}
