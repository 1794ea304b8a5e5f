package dev.graft.bridge.shared;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.shared.SharedDict.StoreMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The dict as Java modules use it; the Lua face is tested in the host. */
class SharedDictTest {

    private final long[] now = {1_000_000};
    private final InstantSource clock = () -> Instant.ofEpochMilli(now[0]);
    private final SharedDict dict = new SharedDict("d", 16 * 1024, clock);

    private static byte[] k(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void stringKeysAndByteKeysAreTheSameKey() {
        dict.set("é", SharedValue.of("v"), 0);
        assertThat(dict.get(k("é"))).isEqualTo(new DictResult.Ok<>(Optional.of(new DictItem(SharedValue.of("v"), 0, false)), false));
    }

    @Test
    void addAndReplaceReportOpenRestyErrors() {
        assertThat(dict.store(StoreMode.ADD, k("a"), SharedValue.of(1), 0, 0).ok()).isTrue();
        assertThat(dict.store(StoreMode.ADD, k("a"), SharedValue.of(2), 0, 0)).isEqualTo(new DictResult.Failed<>(DictError.EXISTS, false));
        assertThat(dict.store(StoreMode.REPLACE, k("b"), SharedValue.of(2), 0, 0))
                .isEqualTo(new DictResult.Failed<>(DictError.NOT_FOUND, false));
        assertThat(DictError.NOT_FOUND.message()).isEqualTo("not found");
    }

    @Test
    void expiryFollowsTheClock() {
        dict.set("a", SharedValue.of(true), 1_500);
        now[0] += 1_499;
        assertThat(dict.ttl(k("a"))).isEqualTo(new DictResult.Ok<>(0.001, false));
        now[0] += 1;
        assertThat(dict.get(k("a"))).isEqualTo(new DictResult.Ok<>(Optional.empty(), false));
        assertThat(dict.getStale(k("a"))).isEqualTo(new DictResult.Ok<>(Optional.of(new DictItem(SharedValue.of(true), 0, true)), false));
        assertThat(dict.flushExpired(0)).isEqualTo(1);
        assertThat(dict.freeSpace()).isEqualTo(dict.capacity());
    }

    @Test
    void incrOnMissingKeyUsesInitAndItsTtl() {
        assertThat(dict.incr(k("n"), 1, Optional.empty(), 0)).isEqualTo(new DictResult.Failed<>(DictError.NOT_FOUND, false));
        assertThat(dict.incr(k("n"), 1, Optional.of(10.0), 2_000)).isEqualTo(new DictResult.Ok<>(11.0, false));
        assertThat(dict.incr(k("n"), -0.5, Optional.of(10.0), 0)).isEqualTo(new DictResult.Ok<>(10.5, false));
        now[0] += 2_000;
        assertThat(dict.incr(k("n"), 1, Optional.empty(), 0)).isEqualTo(new DictResult.Failed<>(DictError.NOT_FOUND, false));
    }

    @Test
    void leastRecentlyUsedIsEvictedFirstAndSafeSetRefuses() {
        byte[] big = new byte[5000];
        dict.set("a", new SharedValue.Text(big), 0);
        dict.set("b", new SharedValue.Text(big), 0);
        dict.set("c", new SharedValue.Text(big), 0);
        dict.get(k("a"));
        assertThat(dict.store(StoreMode.SAFE_SET, k("d"), new SharedValue.Text(big), 0, 0))
                .isEqualTo(new DictResult.Failed<>(DictError.NO_MEMORY, false));
        DictResult<Boolean> r = dict.store(StoreMode.SET, k("d"), new SharedValue.Text(big), 0, 0);
        assertThat(r).isEqualTo(new DictResult.Ok<>(true, true));
        // b was the least recently used: a was read after it was written
        assertThat(dict.get(k("b"))).isEqualTo(new DictResult.Ok<>(Optional.empty(), false));
        assertThat(dict.get(k("a")).ok()).isTrue();
        assertThat(dict.freeSpace()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void listsPushAndPopFromBothEnds() {
        assertThat(dict.push(k("l"), SharedValue.of("a"), true)).isEqualTo(new DictResult.Ok<>(1, false));
        assertThat(dict.push(k("l"), SharedValue.of(2), false)).isEqualTo(new DictResult.Ok<>(2, false));
        assertThat(dict.pop(k("l"), false)).isEqualTo(new DictResult.Ok<>(Optional.of(SharedValue.of(2)), false));
        assertThat(dict.get(k("l"))).isEqualTo(new DictResult.Failed<>(DictError.IS_A_LIST, false));
        assertThat(dict.pop(k("l"), true)).isEqualTo(new DictResult.Ok<>(Optional.of(SharedValue.of("a")), false));
        assertThat(dict.llen(k("l"))).isEqualTo(new DictResult.Ok<>(0, false));
        assertThat(dict.freeSpace()).isEqualTo(dict.capacity());
    }

    @Test
    void keysAreLeastRecentlyUsedFirstAndLimited() {
        // measured on OpenResty: set k1, k2, k3, get k1 -> get_keys gives k2, k3, k1
        dict.set("k1", SharedValue.of(1), 0);
        dict.set("k2", SharedValue.of(2), 0);
        dict.set("k3", SharedValue.of(3), 0);
        dict.get(k("k1"));
        List<String> keys = new ArrayList<>();
        dict.keys(0).forEach(b -> keys.add(new String(b, StandardCharsets.UTF_8)));
        assertThat(keys).containsExactly("k2", "k3", "k1");
        assertThat(dict.keys(1)).hasSize(1);
    }

    @Test
    void concurrentIncrementsAreNotLost() throws InterruptedException {
        int threads = 4;
        int perThread = 5_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int i = 0; i < perThread; i++) {
                    dict.incr(k("c"), 1, Optional.of(0.0), 0);
                }
            });
            th.start();
            ts.add(th);
        }
        start.countDown();
        for (Thread th : ts) {
            th.join();
        }
        assertThat(dict.get(k("c"))).isEqualTo(new DictResult.Ok<>(
                Optional.of(new DictItem(SharedValue.of((double) threads * perThread), 0, false)), false));
    }

    @Test
    void javaAndLuaSeeTheSameCounterThroughStringKeys() {
        assertThat(dict.incr("rl:1.2.3.4", 1, Optional.of(0.0), 60_000)).isEqualTo(new DictResult.Ok<>(1.0, false));
        assertThat(dict.incr(k("rl:1.2.3.4"), 1, Optional.empty(), 0)).isEqualTo(new DictResult.Ok<>(2.0, false));
        assertThat(dict.ttl("rl:1.2.3.4")).isEqualTo(new DictResult.Ok<>(60.0, false));
        assertThat(dict.delete("rl:1.2.3.4")).isTrue();
        assertThat(dict.get("rl:1.2.3.4")).isEqualTo(new DictResult.Ok<>(Optional.empty(), false));
    }

    @Test
    void registryFindsDictsByName() {
        SharedDicts dicts = SharedDicts.of(Map.of("limits", 10_000L), clock);
        assertThat(dicts.get("limits")).map(SharedDict::capacity).contains(10_000L);
        assertThat(dicts.get("nope")).isEmpty();
        assertThat(dicts.names()).containsExactly("limits");
    }
}
