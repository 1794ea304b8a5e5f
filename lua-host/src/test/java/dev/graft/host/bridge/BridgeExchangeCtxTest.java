package dev.graft.host.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.CtxKey;
import dev.graft.bridge.CtxKeys;
import dev.graft.bridge.CtxType;
import dev.graft.bridge.StageExchange.LogLevel;
import dev.graft.bridge.shared.SharedDicts;
import dev.graft.host.admin.GraftMetrics;
import dev.graft.host.exchange.Exchange;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * The stage exchange is made once per request and keeps what it read from {@code ngx.ctx}: a
 * value is reused only while the Lua table still holds the very Lua value it came from, and a
 * value whose crossing changes it is read back as the crossing makes it, as before the cache.
 * Also the native path's array-backed {@link JavaCtx} and the header counts the ports use.
 */
class BridgeExchangeCtxTest {

    private static final CtxKey<Long> COUNT = CtxKey.of("count", CtxType.INT);
    private static final CtxKey<Double> SHARE = CtxKey.of("share", CtxType.NUM);
    private static final CtxKey<byte[]> RAW = CtxKey.of("raw", CtxType.BYTES);

    private static final LoopServices SERVICES = new LoopServices(SharedDicts.empty(), Clock.systemUTC(),
            new SplittableRandom(1), "", GraftMetrics.NONE);

    private static Exchange exchange(String... headerPairs) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < headerPairs.length; i += 2) {
            h.add(headerPairs[i], headerPairs[i + 1]);
        }
        return Exchange.builder().requestId("r").remote(new InetSocketAddress("127.0.0.1", 40000))
                .local(new InetSocketAddress("127.0.0.1", 8080)).requestUri("/").method("GET").uri("/").headers(h)
                .build();
    }

    private static BridgeExchange bridge(Exchange ex) {
        return new BridgeExchange(ex, "acme", SERVICES, new CtxNames(), new HeaderNames(), false);
    }

    @Test
    void aValueLuaReplacedIsReadAgainNotTakenFromTheCache() {
        Exchange ex = exchange();
        LuaTable ctx = new LuaTable();
        ex.luaCtx(ctx);
        BridgeExchange sx = bridge(ex);
        sx.put(CtxKeys.ROUTE, "api");
        assertThat(sx.get(CtxKeys.ROUTE)).contains("api");
        ctx.rawset("route", LuaValue.valueOf("static")); // a Lua stage in between
        assertThat(sx.get(CtxKeys.ROUTE)).contains("static");
        ctx.rawset("route", LuaValue.NIL);
        assertThat(sx.get(CtxKeys.ROUTE)).isEmpty();
    }

    @Test
    void valuesTheCrossingChangesReadBackAsTheCrossingMakesThem() {
        Exchange ex = exchange();
        ex.luaCtx(new LuaTable());
        BridgeExchange sx = bridge(ex);
        long big = (1L << 60) + 1; // a Lua number is a double
        sx.put(COUNT, big);
        assertThat(sx.get(COUNT)).contains((long) (double) big);
        sx.put(SHARE, -0.0); // LuaJ stores an integral double as an integer
        assertThat(sx.get(SHARE)).contains(0.0);
        sx.put(CtxKeys.ROUTE, "a\uD800b"); // a lone surrogate has no UTF-8 form
        assertThat(sx.get(CtxKeys.ROUTE)).isPresent().get().isNotEqualTo("a\uD800b");
        byte[] raw = {1, 2, 3};
        sx.put(RAW, raw);
        byte[] read = sx.get(RAW).orElseThrow();
        assertThat(read).containsExactly(1, 2, 3).isNotSameAs(raw);
    }

    @Test
    void aRepeatedReadOfAnUnchangedValueAllocatesNoNewOptional() {
        Exchange ex = exchange();
        LuaTable ctx = new LuaTable();
        ctx.rawset("customer", LuaValue.valueOf("acme"));
        ex.luaCtx(ctx);
        BridgeExchange sx = bridge(ex);
        Optional<String> first = sx.get(CtxKeys.CUSTOMER);
        assertThat(first).contains("acme");
        assertThat(sx.get(CtxKeys.CUSTOMER)).isSameAs(first);
    }

    @Test
    void theJavaContextKeepsOrderTypesAndRemovals() {
        JavaCtx j = new JavaCtx();
        j.put(CtxKeys.CUSTOMER, "acme");
        j.put(CtxKeys.ROUTE, "api");
        j.put(COUNT, 7L);
        j.put(CtxKeys.ROUTE, "static"); // keeps its place
        j.remove(CtxKeys.CUSTOMER);
        assertThat(j.get(CtxKeys.ROUTE)).contains("static");
        assertThat(j.get(CtxKeys.CUSTOMER)).isEmpty();
        // a key read with another type than it was written with reads as absent, as in Lua
        assertThat(j.get(CtxKey.of("count", CtxType.TEXT))).isEmpty();
        for (int i = 0; i < 20; i++) { // past the initial room
            j.put(CtxKey.of("k" + i, CtxType.INT), (long) i);
        }
        LuaTable t = j.toLua();
        assertThat(t.rawget("route").tojstring()).isEqualTo("static");
        assertThat(t.rawget("count").toint()).isEqualTo(7);
        assertThat(t.rawget("k19").toint()).isEqualTo(19);
        assertThat(t.rawget("customer").isnil()).isTrue();
    }

    @Test
    void oneStageExchangeServesOnlyItsRequestAndCustomer() {
        Exchange ex = exchange();
        BridgeExchange sx = bridge(ex);
        assertThat(sx.serves(ex, "acme")).isTrue();
        assertThat(sx.serves(ex, "other")).isFalse();
        assertThat(sx.serves(exchange(), "acme")).isFalse();
        assertThat(sx.request()).isSameAs(sx.request());
        assertThat(sx.remoteAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void headerCountsAndListsAnswerWithoutNettysList() {
        Exchange ex = exchange("Accept", "a", "X-Forwarded-For", "1.1.1.1", "x-forwarded-for", "2.2.2.2");
        ExchangeHeaders h = new ExchangeHeaders(ex.requestHeaders(), false);
        assertThat(h.size()).isEqualTo(3);
        assertThat(h.count("X-FORWARDED-FOR")).isEqualTo(2);
        assertThat(h.count("cookie")).isZero();
        assertThat(h.all("accept")).containsExactly("a");
        assertThat(h.all("x-forwarded-for")).containsExactly("1.1.1.1", "2.2.2.2");
        assertThat(h.all("cookie")).isEqualTo(List.of());
    }

    @Test
    void headerNamesKeptAsNettyNamesReadAndWriteTheSameFields() {
        Exchange ex = exchange("A", "1");
        ExchangeHeaders h = new ExchangeHeaders(ex.requestHeaders(), false, new HeaderNames());
        h.set("X-Route", "api");
        assertThat(ex.requestHeaders().get("x-route")).isEqualTo("api"); // Lua reads the same field
        assertThat(h.first("x-ROUTE")).contains("api");
        h.add("x-route", "b");
        assertThat(h.all("X-Route")).containsExactly("api", "b");
        h.remove("X-ROUTE");
        assertThat(h.contains("x-route")).isFalse();
        // U+0141 kept as one byte would be 'A': a name past ASCII must not read another field
        assertThat(h.first("\u0141")).isEmpty();
        assertThat(h.first("a")).contains("1");
    }

    @Test
    void aQuietExchangeWritesNoLevel() {
        BridgeExchange quiet = new BridgeExchange(exchange(), "acme", SERVICES, true);
        assertThat(quiet.logs(LogLevel.ERR)).isFalse();
    }
}
