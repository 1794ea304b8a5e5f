package dev.graft.tests.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class LaunchPolicyTest {

    private static final ProxyLauncher.Launch MISSING = new ProxyLauncher.Launch.Unavailable("nginx is not installed");

    @Test
    void unavailableSkipsWithTheReasonOutsideCi() {
        assertThatThrownBy(() -> LaunchPolicy.require("nginx", MISSING, false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("nginx cannot run here, skipped: nginx is not installed");
    }

    @Test
    void unavailableFailsUnderCi() {
        assertThatThrownBy(() -> LaunchPolicy.require("nginx", MISSING, true))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("nginx is required under CI=true and cannot run: nginx is not installed");
    }

    @Test
    void aFailedLaunchAlwaysFails() {
        assertThatThrownBy(() -> LaunchPolicy.require("graft", new ProxyLauncher.Launch.Failed("port in use"), false))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("graft did not start: port in use");
    }

    @Test
    void aStartedProxyIsHandedBack() {
        ProxyUnderTest proxy = new ProxyUnderTest() {
            @Override
            public String name() {
                return "fake";
            }

            @Override
            public InetSocketAddress address() {
                return new InetSocketAddress("127.0.0.1", 1);
            }

            @Override
            public long logMark() {
                return 0;
            }

            @Override
            public String logSince(long mark) {
                return "";
            }

            @Override
            public void close() {}
        };
        assertThat(LaunchPolicy.require("fake", new ProxyLauncher.Launch.Started(proxy), true)).isSameAs(proxy);
    }
}
