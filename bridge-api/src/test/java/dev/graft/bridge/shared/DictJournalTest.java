package dev.graft.bridge.shared;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.shared.SharedDict.StoreMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The write journal a shadow reads (issue 7's "dict reads drift"): the image of each key
 * before the arming thread first touched it and after its last write; other threads' writes
 * are not in it; closing disarms; images move between dicts exactly.
 */
class DictJournalTest {

    private final long[] now = {1_000_000};
    private final InstantSource clock = () -> Instant.ofEpochMilli(now[0]);
    private final SharedDicts dicts = SharedDicts.of(Map.of("a", 16L * 1024, "b", 16L * 1024), clock);
    private final SharedDict a = dicts.get("a").orElseThrow();
    private final SharedDict b = dicts.get("b").orElseThrow();

    private static byte[] k(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void keepsTheImageBeforeTheFirstTouchAndAfterTheLastWrite() {
        a.incr(k("n"), 1, Optional.of(0.0), 60_000); // 1, before the stage
        DictJournal j = DictJournal.arm(dicts);
        a.incr(k("n"), 1, Optional.of(0.0), 60_000);
        a.incr(k("n"), 1, Optional.of(0.0), 60_000);
        b.store(StoreMode.SET, k("s"), SharedValue.of("v"), 0, 3);
        a.get(k("read-only"));
        j.close();

        assertThat(j.before("a", k("n"))).contains(new DictImage.Value(SharedValue.of(1), 0, 1_060_000));
        assertThat(j.before("a", k("read-only"))).contains(DictImage.ABSENT);
        assertThat(j.before("a", k("never"))).isEmpty();
        assertThat(j.changes()).extracting(c -> c.dict() + "." + c.keyText() + " = " + c.after().describe())
                .containsExactlyInAnyOrder("a.n = 3 flags=0 expires", "b.s = v flags=3");
    }

    @Test
    void aReadBeforeTheWriteFixesTheImage() {
        a.set("n", SharedValue.of(5), 0);
        DictJournal j = DictJournal.arm(dicts);
        a.get(k("n"));
        a.set("n", SharedValue.of(6), 0);
        j.close();
        assertThat(j.before("a", k("n"))).contains(new DictImage.Value(SharedValue.of(5), 0, 0));
        assertThat(j.changes()).singleElement().satisfies(c -> assertThat(c.after().describe()).isEqualTo("6 flags=0"));
    }

    @Test
    void anotherThreadsWritesAreNotRecorded() throws Exception {
        DictJournal j = DictJournal.arm(dicts);
        Thread other = new Thread(() -> {
            a.set("theirs", SharedValue.of(1), 0);
            a.set("shared", SharedValue.of(1), 0); // before this thread's first touch
        });
        other.start();
        other.join();
        a.incr(k("shared"), 1, Optional.empty(), 0);
        j.close();
        assertThat(j.before("a", k("theirs"))).isEmpty();
        // the image before this thread's own first touch: the other write is in it
        assertThat(j.before("a", k("shared"))).contains(new DictImage.Value(SharedValue.of(1), 0, 0));
        assertThat(j.changes()).extracting(DictJournal.Change::keyText).containsExactly("shared");
    }

    @Test
    void aWriteThatChangesNothingAndAFailedWriteAreNoChange() {
        a.set("same", SharedValue.of("x"), 0);
        DictJournal j = DictJournal.arm(dicts);
        a.set("same", SharedValue.of("x"), 0);
        a.store(StoreMode.REPLACE, k("missing"), SharedValue.of(1), 0, 0);
        j.close();
        assertThat(j.changes()).isEmpty();
        assertThat(j.before("a", k("missing"))).contains(DictImage.ABSENT);
    }

    @Test
    void deletesAndFlushAllAreChangesToDeleted() {
        a.set("x", SharedValue.of(1), 0);
        b.set("y", SharedValue.of(2), 0);
        DictJournal j = DictJournal.arm(dicts);
        a.delete(k("x"));
        b.flushAll();
        j.close();
        assertThat(j.changes()).extracting(c -> c.dict() + "." + c.keyText() + " = " + c.after().describe())
                .containsExactlyInAnyOrder("a.x = <deleted>", "b.y = <deleted>");
    }

    @Test
    void closingDisarmsAndANewJournalOfTheSameThreadReplacesALeftOne() {
        DictJournal left = DictJournal.arm(dicts); // never closed (a bug elsewhere)
        DictJournal j = DictJournal.arm(dicts);
        a.set("x", SharedValue.of(1), 0);
        j.close();
        a.set("y", SharedValue.of(1), 0);
        assertThat(left.before("a", k("x"))).isEmpty();
        assertThat(j.before("a", k("x"))).isPresent();
        assertThat(j.before("a", k("y"))).isEmpty();
        assertThat(DictJournal.empty().changes()).isEmpty();
    }

    @Test
    void stopsAtItsBoundAndSaysSo() {
        SharedDicts one = SharedDicts.of(Map.of("big", 4L << 20), clock);
        DictJournal full = DictJournal.arm(one);
        for (int i = 0; i <= DictJournal.MAX_KEYS; i++) {
            one.get("big").orElseThrow().get(k("k" + i));
        }
        full.close();
        assertThat(full.overflowed()).isTrue();
        assertThat(full.touched("big")).hasSize(DictJournal.MAX_KEYS);
    }

    @Test
    void anImageMovesBetweenDictsExactly() {
        a.store(StoreMode.SET, k("v"), SharedValue.of("x"), 5_000, 9);
        a.push(k("l"), SharedValue.of("p"), false);
        a.push(k("l"), SharedValue.of(2), false);
        SharedDict other = new SharedDict("a", 16 * 1024, () -> Instant.ofEpochMilli(now[0] + 1_000));
        other.set("gone", SharedValue.of(1), 0);
        for (String key : List.of("v", "l", "gone")) {
            assertThat(other.install(k(key), a.image(k(key)))).isTrue();
            assertThat(other.image(k(key))).isEqualTo(a.image(k(key)));
        }
        // the same deadline on a clock a second ahead: 4 s left there
        assertThat(other.ttl(k("v"))).isEqualTo(new DictResult.Ok<>(4.0, false));
        assertThat(other.pop(k("l"), true)).isEqualTo(new DictResult.Ok<>(Optional.of(SharedValue.of("p")), false));
        assertThat(other.get(k("gone"))).isEqualTo(new DictResult.Ok<>(Optional.empty(), false));
        assertThat(a.image(k("l")).describe()).isEqualTo("list[p, 2]");
    }
}
