package dev.graft.host.parity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.Phase;
import dev.graft.bridge.shared.DictItem;
import dev.graft.bridge.shared.DictResult;
import dev.graft.bridge.shared.SharedDict;
import dev.graft.bridge.shared.SharedDicts;
import dev.graft.bridge.shared.SharedValue;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.exchange.Exchange;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaTable;

/**
 * The Lua side of a shadow with Java serving, one stage at a time, on the legacy ratelimit
 * module (limit 1): the handler reads the live dicts (a counter the serving side left makes it
 * refuse), every write it makes lands in the overlay and is reported, the live dict is never
 * changed, and what it logs (at a level the logger writes) is held back and handed over.
 */
class ShadowSideTest {

    private static final long AT = Instant.parse("2026-05-28T10:00:00Z").toEpochMilli();

    @Test
    void readsLiveWritesOnlyTheOverlayAndHoldsItsLogsBack() {
        GraftConfig config = config();
        SharedDicts live = SharedDicts.of(Map.of("ratelimit", 1L << 20), Clock.fixed(Instant.ofEpochMilli(AT),
                ZoneOffset.UTC));
        SharedDict counters = live.get("ratelimit").orElseThrow();
        ShadowSide side = ((ShadowSide.Built.Ready) ShadowSide.build(config)).side();
        ch.qos.logback.classic.Logger stage = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("graft.lua");
        ch.qos.logback.classic.Level level = stage.getLevel();
        stage.setLevel(ch.qos.logback.classic.Level.INFO); // the refusal is logged at INFO
        try {
            ShadowSide.Run first = side.run("ratelimit", "shop", Phase.ACCESS, exchange("r1"), AT, live);
            assertThat(first.outcome()).isEqualTo(new ShadowSide.Outcome.Returned());
            assertThat(first.dictWrites()).hasSize(1);
            String path = first.dictWrites().firstKey();
            assertThat(path).startsWith("shared.ratelimit.");
            assertThat(first.dictWrites().get(path)).isEqualTo("1 flags=0 expires");
            assertThat(counters.keys(0)).as("the live dict after the shadow").isEmpty();
            assertThat(first.logLines()).isEmpty();

            // the serving side counted the request: the shadow reads that and refuses the next one
            byte[] key = path.substring("shared.ratelimit.".length()).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            counters.store(SharedDict.StoreMode.SET, key, new SharedValue.Num(1), 3_600_000, 0);
            ShadowSide.Run second = side.run("ratelimit", "shop", Phase.ACCESS, exchange("r2"), AT, live);
            assertThat(second.outcome()).isEqualTo(new ShadowSide.Outcome.Exited(429));
            assertThat(second.dictWrites()).containsExactly(Map.entry(path, "2 flags=0 expires"));
            assertThat(counters.get(key)).as("the live counter after the shadow")
                    .isInstanceOfSatisfying(DictResult.Ok.class, ok -> assertThat(ok.value())
                            .isEqualTo(Optional.of(new DictItem(new SharedValue.Num(1), 0, false))));
            assertThat(second.logLines()).singleElement().asString()
                    .startsWith("INFO ").contains("ratelimit: customer=shop rule=api", "refused");
        } finally {
            stage.setLevel(level);
            side.close();
        }
    }

    /**
     * Issue 7, "dict reads drift": the serving stage already counted the request when the
     * shadow runs; with its journal, the shadow reads the counter as the serving stage did
     * (absent), so it allows the request too and its write equals the serving stage's.
     */
    @Test
    void withTheServingStagesJournalTheShadowReadsTheDictsAsTheServingStageDid() {
        SharedDicts live = SharedDicts.of(Map.of("ratelimit", 1L << 20), Clock.fixed(Instant.ofEpochMilli(AT),
                ZoneOffset.UTC));
        SharedDict counters = live.get("ratelimit").orElseThrow();
        ShadowSide side = ((ShadowSide.Built.Ready) ShadowSide.build(config())).side();
        try {
            ShadowSide.Run probe = side.run("ratelimit", "shop", Phase.ACCESS, exchange("r0"), AT,
                    SharedDicts.of(Map.of("ratelimit", 1L << 20), Clock.systemUTC()));
            byte[] key = probe.dictWrites().firstKey().substring("shared.ratelimit.".length())
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            // the serving stage (this thread) counts the request under a journal
            dev.graft.bridge.shared.DictJournal served = dev.graft.bridge.shared.DictJournal.arm(live);
            counters.incr(key, 1, Optional.of(0.0), 3_600_000);
            served.close();

            ShadowSide.Run without = side.run("ratelimit", "shop", Phase.ACCESS, exchange("r1"), AT, live);
            assertThat(without.outcome()).as("reading the live counter, one ahead")
                    .isEqualTo(new ShadowSide.Outcome.Exited(429));
            ShadowSide.Run with = side.run("ratelimit", "shop", Phase.ACCESS, exchange("r2"), AT, live, served);
            assertThat(with.outcome()).isEqualTo(new ShadowSide.Outcome.Returned());
            assertThat(served.changes()).singleElement().satisfies(c -> assertThat(with.dictWrites())
                    .containsExactly(Map.entry("shared.ratelimit." + c.keyText(), c.after().describe())));
            assertThat(counters.image(key).describe()).as("the live counter").isEqualTo("1 flags=0 expires");
        } finally {
            side.close();
        }
    }

    @Test
    void theStandInsCopyWhatTheyTouchAndReportEveryWrite(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.copy(Path.of("../legacy-scripts/pipeline.lua"), dir.resolve("pipeline.lua"));
        java.nio.file.Files.createDirectories(dir.resolve("dictprobe"));
        java.nio.file.Files.writeString(dir.resolve("dictprobe/handler.lua"), """
                local _M = {}
                function _M.access(conf)
                    local d = ngx.shared.cache
                    d:set("copy", "v=" .. tostring(d:get("seen")))
                    d:delete("gone")
                    d:incr("n", 1, 0)
                    ngx.var.keys = tostring(#d:get_keys(0))
                    local ok, err = pcall(d.get, "seen")
                    ngx.var.zone_error = tostring(err)
                    ngx.log(ngx.ERR, "dictprobe ran")
                end
                return _M
                """);
        ConfigResult r = ConfigLoader.parse("""
                {"listen": {"host": "127.0.0.1", "port": 18080},
                 "admin": {"listen": {"host": "127.0.0.1", "port": 18082}, "token": "t"},
                 "scripts": "%s", "default_upstream": "origin", "pipeline": ["dictprobe"],
                 "shared_dicts": {"cache": "1m"},
                 "upstreams": {"origin": {"servers": [{"address": "127.0.0.1:9"}]}},
                 "customers": {"shop": {"hosts": ["shop.test"], "modules": {"dictprobe": {}}}}}
                """.formatted(dir), dir, "test");
        assertThat(r).as(r.toString()).isInstanceOf(ConfigResult.Valid.class);
        SharedDicts live = SharedDicts.of(Map.of("cache", 1L << 20), Clock.fixed(Instant.ofEpochMilli(AT),
                ZoneOffset.UTC));
        SharedDict cache = live.get("cache").orElseThrow();
        for (String k : java.util.List.of("seen", "gone", "other")) {
            cache.set(k, new SharedValue.Text(k.substring(0, 1).getBytes(java.nio.charset.StandardCharsets.UTF_8)), 0);
        }
        ShadowSide side = ((ShadowSide.Built.Ready) ShadowSide.build(((ConfigResult.Valid) r).config())).side();
        try {
            Exchange ex = exchange("r1");
            ShadowSide.Run run = side.run("dictprobe", "shop", Phase.ACCESS, ex, AT, live);
            assertThat(run.outcome()).isEqualTo(new ShadowSide.Outcome.Returned());
            assertThat(run.dictWrites()).containsExactly(Map.entry("shared.cache.copy", "v=s flags=0"),
                    Map.entry("shared.cache.gone", "<deleted>"), Map.entry("shared.cache.n", "1 flags=0"));
            assertThat(ex.variables()).containsEntry("keys", "4"); // seen, other, copy, n: live keys seen through
            assertThat(ex.variables().get("zone_error")).contains("bad \"zone\" argument");
            assertThat(run.logLines()).singleElement().asString().startsWith("ERROR ").endsWith("dictprobe ran");
            assertThat(cache.keys(0).stream().map(k -> new String(k, java.nio.charset.StandardCharsets.UTF_8)))
                    .as("the live dict after the shadow").containsExactlyInAnyOrder("seen", "gone", "other");
        } finally {
            side.close();
        }
    }

    private static Exchange exchange(String id) {
        InetSocketAddress client = new InetSocketAddress(InetAddress.getLoopbackAddress(), 52000);
        Exchange ex = Exchange.builder().requestId(id).start(AT, System.nanoTime()).remote(client).local(client)
                .scheme("http").version(HttpVersion.HTTP_1_1).requestUri("/api/items").method("GET").uri("/api/items")
                .headers(new DefaultHttpHeaders().add("Host", "shop.test")).build();
        LuaTable ctx = new LuaTable();
        ctx.set("customer", "shop");
        ex.luaCtx(ctx);
        return ex;
    }

    private static GraftConfig config() {
        Path scripts = Path.of("../legacy-scripts").toAbsolutePath().normalize();
        String json = """
                {"listen": {"host": "127.0.0.1", "port": 18080},
                 "admin": {"listen": {"host": "127.0.0.1", "port": 18082}, "token": "t"},
                 "scripts": "%s",
                 "default_upstream": "origin",
                 "pipeline": ["ratelimit"],
                 "shared_dicts": {"ratelimit": "1m"},
                 "upstreams": {"origin": {"servers": [{"address": "127.0.0.1:9"}]}},
                 "customers": {"shop": {"hosts": ["shop.test"], "modules": {
                     "ratelimit": {"rules": [{"name": "api", "key": "client", "limit": 1, "window": 3600,
                                              "match_prefix": "/api"}]}}}},
                 "rollout": {"ratelimit": {"mode": "shadow", "serve": "java"}}}
                """.formatted(scripts);
        ConfigResult r = ConfigLoader.parse(json, scripts, "test");
        assertThat(r).as(r.toString()).isInstanceOf(ConfigResult.Valid.class);
        return ((ConfigResult.Valid) r).config();
    }
}
