package dev.graft.host.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.host.exchange.Exchange;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The native path finds a request's customer exactly as legacy-scripts/pipeline.lua does. */
class NativePlanTest {

    private static final NativePlan PLAN = new NativePlan(Map.of("shop.test", "shop", "127.0.0.1", "local"),
            Map.of(), false);

    private static Exchange request(String target, String requestLineHost, String... headerPairs) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < headerPairs.length; i += 2) {
            h.add(headerPairs[i], headerPairs[i + 1]);
        }
        return Exchange.builder().requestId("r").remote(new InetSocketAddress("127.0.0.1", 40000))
                .local(new InetSocketAddress("127.0.0.1", 8080)).version(HttpVersion.HTTP_1_0)
                .requestUri(target).method("GET").uri("/").requestLineHost(requestLineHost).headers(h).build();
    }

    @Test
    void theHostHeaderNamesTheCustomerLowerCasedWithoutPort() {
        assertThat(PLAN.customer(request("/", null, "Host", "SHOP.test:8080"))).contains("shop");
    }

    /**
     * Bug: without a Host header the native path used the server address (a stale copy of
     * $host), so an HTTP/1.0 absolute-form request for shop.test went to the customer of
     * 127.0.0.1 while the Lua driver, reading nginx's $host, served it as shop.
     */
    @Test
    void withoutHostHeaderTheAbsoluteFormHostIsUsedAsNginxsHostIs() {
        assertThat(PLAN.customer(request("http://shop.test/", "shop.test"))).contains("shop");
        assertThat(PLAN.customer(request("/", null))).isEmpty();
    }
}
