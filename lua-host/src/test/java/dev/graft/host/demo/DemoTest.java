package dev.graft.host.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.graft.host.config.GraftConfig.Listener;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What the README's demo section promises, on the real demo config and legacy scripts. The
 * burst runs last: it uses up the client's /api allowance, which the first request also counts on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoTest {

    private static final Path CONFIG = Path.of("..", "legacy-scripts", "graft.json");
    private static final Listener ANY = new Listener("127.0.0.1", 0);

    private static Demo demo;

    @BeforeAll
    static void start() {
        assumeTrue(Files.exists(CONFIG), "run inside the repository");
        Demo.Start s = Demo.start(CONFIG, Optional.of(ANY), Optional.of(ANY), 0);
        assertThat(s).isInstanceOf(Demo.Start.Started.class);
        demo = ((Demo.Start.Started) s).demo();
    }

    @AfterAll
    static void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    private static String get(int port, String target, String host) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String proxy(String target) throws IOException {
        return get(demo.server().proxyPort(), target, "shop.test");
    }

    @Test
    void aNormalRequestIsProxiedToOriginA() throws IOException {
        String r = proxy("/api/hello");
        assertThat(r).startsWith("HTTP/1.1 200 ").contains("\"server\":\"origin-a\"").contains("\"path\":\"/api/hello\"")
                .contains("X-Content-Type-Options: nosniff");
    }

    @Test
    void oldIsRedirected() throws IOException {
        assertThat(proxy("/old")).startsWith("HTTP/1.1 301 ").containsIgnoringCase("location: /new\r\n");
    }

    @Test
    void anSqlInjectionIsBlocked() throws IOException {
        assertThat(proxy("/search?q=1%27%20OR%201=1--")).startsWith("HTTP/1.1 403 ")
                .contains("blocked by the web application firewall");
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void aBurstIsRateLimited() throws IOException {
        // 10 per 10 s: 25 requests span at most two windows, so one of them must go over.
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i < 25 && !statuses.contains("429"); i++) {
            statuses.add(proxy("/api/ping").substring(9, 12));
        }
        assertThat(statuses).contains("429").startsWith("200");
    }

    @Test
    void theBucketServesThroughTheMediaCustomer() throws IOException {
        String r = get(demo.server().proxyPort(), "/files/readme.txt", "media.test");
        assertThat(r).startsWith("HTTP/1.1 200 ").endsWith("This object lives in the demo bucket origin.\n");
    }

    @Test
    void adminStatusNamesTheCustomers() throws IOException {
        String r = get(demo.server().adminPort(), "/status", "localhost");
        assertThat(r).startsWith("HTTP/1.1 200 ").contains("\"shop\"").contains("\"media\"").contains("\"legacy\"");
    }
}
