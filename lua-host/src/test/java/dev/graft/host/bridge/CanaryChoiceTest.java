package dev.graft.host.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.host.config.Rollout;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.lua.LuaFixture;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** The canary's key and bucket: CRC32 of the key mod 100, the key per kind, and the choice kept per request. */
class CanaryChoiceTest {

    private static int crc(String s) {
        CRC32 c = new CRC32();
        c.update(s.getBytes(StandardCharsets.UTF_8));
        return (int) (c.getValue() % 100);
    }

    @Test
    void keysByKind() {
        Exchange ex = LuaFixture.exchange("GET", "/", "Host", "a.test", "X-User", "u-7", "Cookie", "a=1; sid=xyz");
        assertThat(CanaryChoice.key(new Rollout.CanaryKey.Client(), ex, "acme")).isEqualTo("127.0.0.1");
        assertThat(CanaryChoice.key(new Rollout.CanaryKey.Customer(), ex, "acme")).isEqualTo("acme");
        assertThat(CanaryChoice.key(new Rollout.CanaryKey.Header("x-user"), ex, "acme")).isEqualTo("u-7");
        assertThat(CanaryChoice.key(new Rollout.CanaryKey.Cookie("sid"), ex, "acme")).isEqualTo("xyz");
        assertThat(CanaryChoice.key(new Rollout.CanaryKey.Cookie("none"), ex, "acme")).isEmpty();
        assertThat(CanaryChoice.bucket("u-7")).isEqualTo(crc("u-7"));
    }

    @Test
    void choiceFollowsTheBucketAndIsKeptForTheRequest() {
        Exchange ex = LuaFixture.exchange("GET", "/", "Host", "a.test", "X-User", "u-7");
        int b = crc("u-7");
        var header = new Rollout.CanaryKey.Header("X-User");
        assertThat(CanaryChoice.java(new Rollout.Mode.Canary(b + 1, header), "m", ex, "acme")).isTrue();
        // the same request keeps its side in later phases even if a stage rewrites the header
        ex.requestHeaders().set("X-User", "someone-else");
        assertThat(CanaryChoice.java(new Rollout.Mode.Canary(b + 1, header), "m", ex, "acme")).isTrue();
        Exchange other = LuaFixture.exchange("GET", "/", "Host", "a.test", "X-User", "u-7");
        assertThat(CanaryChoice.java(new Rollout.Mode.Canary(b, header), "m", other, "acme")).isFalse();
        assertThat(CanaryChoice.java(new Rollout.Mode.Canary(0, header), "n", other, "acme")).isFalse();
        assertThat(CanaryChoice.java(new Rollout.Mode.Canary(100, header), "o", other, "acme")).isTrue();
    }
}
