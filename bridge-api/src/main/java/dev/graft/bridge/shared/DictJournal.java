package dev.graft.bridge.shared;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one stage did to the shared dicts, recorded for a shadow: armed on every dict of a
 * {@link SharedDicts} for the calling thread ({@link #arm}) while a sampled stage runs, closed
 * right after ({@link #close}). For each key the stage touched (read or wrote) it keeps the
 * key's image before the stage's first touch, and for each key the stage wrote, the image
 * right after its last write. The shadow side then reads the "before" images for those keys,
 * so it sees the dicts as the serving stage saw them, and its own writes are compared with the
 * "after" images.
 *
 * <p>Only the arming thread's operations are recorded, inside each dict's lock, so every
 * image is exact at its instant. Requests on other threads still change the live dicts in
 * between: a write by another request between two touches of the same key by this stage (a
 * read, then an {@code incr}) is in the stage's later result but not in the "before" image.
 * Not recorded: entries the dict evicts to make room, key enumeration ({@link SharedDict#keys}),
 * the stale value of an expired entry (its image is {@link DictImage.Absent}), and operations
 * made on another thread (a LuaJ coroutine is a thread of its own).
 *
 * <p>Cost: nothing when no journal is armed beyond a read of one field under the dict's lock;
 * an armed journal copies each touched key once and each written entry after every write. A
 * journal holds at most {@value #MAX_KEYS} keys; past that it stops recording and says so
 * ({@link #overflowed}), and a shadow should not compare dicts. A thread that arms a new journal
 * replaces its old one on every dict, so a journal left armed by a bug cannot grow without end.
 *
 * <p>The recording state is used by the arming thread alone (under the dicts' locks); once
 * closed, the journal is read-only and may be handed to another thread.
 */
public final class DictJournal {

    /** The most keys one journal records. */
    public static final int MAX_KEYS = 4096;

    private static final DictJournal EMPTY = new DictJournal(null, List.of());

    /** One key the stage touched: its image before, and after its last write (null: not written). */
    private static final class Touch {
        final DictImage before;
        DictImage after;

        Touch(DictImage before) {
            this.before = before;
        }
    }

    /**
     * A key the stage wrote whose entry differs from before, as {@link DictImage#describe()} sees
     * it (a write that left the value, flags and expiry as they were is no change).
     */
    public record Change(String dict, byte[] key, DictImage before, DictImage after) {
        public Change {
            requireNonNull(dict, "dict");
            requireNonNull(key, "key");
            requireNonNull(before, "before");
            requireNonNull(after, "after");
        }

        /** The key's bytes as ISO-8859-1 text (one char per byte), as effect paths write it. */
        public String keyText() {
            return new String(key, StandardCharsets.ISO_8859_1);
        }
    }

    final Thread owner;
    private final List<SharedDict> armedOn;
    private final Map<String, Map<SharedDict.Key, Touch>> touched = new HashMap<>();
    private int size;
    private boolean overflowed;
    private volatile boolean closed;

    private DictJournal(Thread owner, List<SharedDict> armedOn) {
        this.owner = owner;
        this.armedOn = armedOn;
        this.closed = owner == null;
    }

    /** A closed journal that recorded nothing. */
    public static DictJournal empty() {
        return EMPTY;
    }

    /** Arms a journal for the calling thread on every dict of {@code dicts}. */
    public static DictJournal arm(SharedDicts dicts) {
        requireNonNull(dicts, "dicts");
        List<SharedDict> on = new ArrayList<>(dicts.names().size());
        for (String name : dicts.names()) {
            dicts.get(name).ifPresent(on::add);
        }
        DictJournal j = new DictJournal(Thread.currentThread(), List.copyOf(on));
        for (SharedDict d : j.armedOn) {
            d.arm(j);
        }
        return j;
    }

    /** Stops recording (idempotent); afterwards the journal is read-only. */
    public DictJournal close() {
        if (!closed) {
            for (SharedDict d : armedOn) {
                d.disarm(this);
            }
            closed = true;
        }
        return this;
    }

    /** Whether the stage touched more keys than {@link #MAX_KEYS}: the record is incomplete. */
    public boolean overflowed() {
        return overflowed;
    }

    /** The image of {@code key} before the stage first touched it; empty when it did not touch it. */
    public Optional<DictImage> before(String dict, byte[] key) {
        Map<SharedDict.Key, Touch> m = touched.get(requireNonNull(dict, "dict"));
        Touch t = m == null ? null : m.get(new SharedDict.Key(key));
        return t == null ? Optional.empty() : Optional.of(t.before);
    }

    /** Every key of {@code dict} the stage touched, with its image before. */
    public List<Map.Entry<byte[], DictImage>> touched(String dict) {
        Map<SharedDict.Key, Touch> m = touched.getOrDefault(requireNonNull(dict, "dict"), Map.of());
        List<Map.Entry<byte[], DictImage>> out = new ArrayList<>(m.size());
        m.forEach((k, t) -> out.add(Map.entry(k.bytes.clone(), t.before)));
        return out;
    }

    /** The keys the stage wrote whose entry changed, in the order first touched per dict. */
    public List<Change> changes() {
        List<Change> out = new ArrayList<>();
        touched.forEach((dict, m) -> m.forEach((k, t) -> {
            if (t.after != null && !t.after.describe().equals(t.before.describe())) {
                out.add(new Change(dict, k.bytes.clone(), t.before, t.after));
            }
        }));
        return out;
    }

    // ---------------------------------------------------------------- recording (SharedDict, lock held)

    /** Whether {@code key} of {@code dict} still needs its "before" image. */
    boolean needsBefore(String dict, SharedDict.Key key) {
        if (overflowed) {
            return false;
        }
        Map<SharedDict.Key, Touch> m = touched.get(dict);
        return m == null || !m.containsKey(key);
    }

    void before(String dict, SharedDict.Key key, DictImage image) {
        if (size >= MAX_KEYS) {
            overflowed = true;
            return;
        }
        touched.computeIfAbsent(dict, d -> new LinkedHashMap<>()).put(key.copy(), new Touch(image));
        size++;
    }

    void after(String dict, SharedDict.Key key, DictImage image) {
        Map<SharedDict.Key, Touch> m = touched.get(dict);
        Touch t = m == null ? null : m.get(key);
        if (t != null) {
            t.after = image;
        }
    }
}
