package dev.graft.tests.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.host.demo.DemoOrigin;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7, graceful restart to a new process, the operator's way (docs/operations.md): under 16
 * keep-alive clients, {@code graft serve} A runs; SIGHUP makes it reload an edited script; B
 * starts on the same port (SO_REUSEPORT) with a new config; SIGTERM drains A (it stops
 * accepting, each connection gets its current response with Connection: close, the clients
 * reconnect to B) and A exits; then C starts and {@code POST /drain} on B's admin listener
 * hands over again. No request may fail or be reset; each process must have served traffic.
 */
@EnabledOnOs(OS.LINUX) // SO_REUSEPORT on the epoll transport
class GracefulRestartTest {

    @TempDir
    Path dir;

    @Test
    void sighup_reloads_and_a_new_process_takes_over_the_port_without_losing_a_request() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (DemoOrigin origin = DemoOrigin.startEcho("origin", "127.0.0.1", 0)) {
            RolloutSite site = new RolloutSite(dir, origin.port()).listenPort(port);
            site.writeScript(1);
            site.writeConfig(1, true);
            try (GraftProcess a = GraftProcess.serve(site.configFile, dir, "a")) {
                KeepAliveLoad load = new KeepAliveLoad(new InetSocketAddress("127.0.0.1", port), "app.test", 16, 1_000_000);
                GraftProcess b = null;
                GraftProcess c = null;
                try {
                    assertThat(RolloutSite.await(() -> load.stamp("s1-c1") >= 300, Duration.ofSeconds(30)))
                            .as(a.output()).isTrue();

                    load.phase = "SIGHUP reload of A";
                    // SIGHUP: soft reload of an edited script in the running process
                    site.writeScript(2);
                    a.signal("HUP");
                    assertThat(RolloutSite.await(() -> load.stamp("s2-c1") >= 100, Duration.ofSeconds(20)))
                            .as(a.output()).isTrue();

                    // B on the same port, new scripts and config; then SIGTERM drains A
                    site.writeScript(3);
                    site.writeConfig(3, false);
                    load.phase = "start of B";
                    b = GraftProcess.serve(site.configFile, dir, "b");
                    load.phase = "SIGTERM drain of A";
                    a.signal("TERM");
                    assertThat(a.awaitExit(Duration.ofSeconds(30))).as("A exits after draining").isTrue();
                    assertThat(RolloutSite.await(() -> load.stamp("s3-c3") >= 300, Duration.ofSeconds(20)))
                            .as(b.output()).isTrue();

                    // C, then POST /drain on B
                    site.writeConfig(4, true);
                    load.phase = "start of C";
                    c = GraftProcess.serve(site.configFile, dir, "c");
                    load.phase = "POST /drain of B";
                    HttpResponse<String> drained = RolloutSite.admin(b.adminPort(), "POST", "/drain?grace_ms=5000", true);
                    assertThat(drained.statusCode()).as(drained.body()).isEqualTo(202);
                    assertThat(b.awaitExit(Duration.ofSeconds(30))).as("B exits after draining").isTrue();
                    assertThat(b.process.exitValue()).isZero();
                    assertThat(RolloutSite.await(() -> load.stamp("s3-c4") >= 300, Duration.ofSeconds(20)))
                            .as(c.output()).isTrue();
                } finally {
                    load.close();
                    if (b != null) {
                        b.close();
                    }
                    if (c != null) {
                        c.close();
                    }
                }
                assertThat(load.failures).as("failed or reset requests").isEmpty();
                assertThat(load.byStatus.keySet()).as("every response").containsOnly(200);
                assertThat(load.ok.get()).isEqualTo(load.total());
                assertThat(load.connections.get()).as("clients reconnected after each drain").isGreaterThanOrEqualTo(48);
                assertThat(Files.readString(a.stderr)).contains("SIGHUP: reloaded, generation 1");
                System.out.printf("graceful restart: %d requests, %d connections, by stamp %s%n",
                        load.ok.get(), load.connections.get(), load.byStamp);
            }
        }
    }
}
