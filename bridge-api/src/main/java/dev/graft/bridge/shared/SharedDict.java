package dev.graft.bridge.shared;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code ngx.shared.DICT}: a bounded, thread-safe key/value store shared by every
 * Lua VM and every Java module of the process, with per-entry expiry, user flags,
 * numbers with {@code incr}, lists, and LRU eviction when full.
 *
 * <p>Concurrency: one lock per dict, held for the whole of every operation. That is
 * what nginx does (one mutex per shared-memory zone), it keeps LRU order, expiry and
 * memory accounting exact, and an uncontended monitor costs a few nanoseconds. Reads
 * take the lock too because a read moves the entry to the head of the LRU queue, as in
 * nginx.
 *
 * <p>Memory: capacity is in bytes; an entry is charged its key, its value and a fixed
 * {@link #ENTRY_OVERHEAD}. nginx charges slab pages instead, so {@link #freeSpace()} and
 * the exact point of eviction differ from nginx's; the behaviour when full (evict the
 * least recently used, {@code safe_*} refuse with "no memory") is the same.
 *
 * <p>Expired entries stay until they are overwritten, evicted or flushed, so
 * {@link #getStale} can still return them and {@link #ttl} reports them with a negative
 * time to live, as in nginx.
 *
 * <p>Journal: while a {@link DictJournal} is armed for a thread (a sampled shadow's serving
 * stage), that thread's key operations record the key's image before its first touch and
 * after each write. With none armed, an operation reads one plain field under the lock.
 */
public final class SharedDict {

    /** Bytes charged per entry on top of key and value: nginx's node and queue links. */
    public static final int ENTRY_OVERHEAD = 64;
    /** Bytes charged per list element on top of its value. */
    public static final int LIST_NODE_OVERHEAD = 24;
    /** Longest key nginx accepts. */
    public static final int MAX_KEY_LENGTH = 65535;

    /** How a store treats an existing key and a full dict. */
    public enum StoreMode {
        /** Overwrite; evict LRU entries when full. */
        SET(false, false, false),
        /** Overwrite; fail with "no memory" rather than evict. */
        SAFE_SET(true, false, false),
        /** Only when absent ("exists" otherwise); evict when full. */
        ADD(false, true, false),
        /** Only when absent; never evict. */
        SAFE_ADD(true, true, false),
        /** Only when present ("not found" otherwise); evict when full. */
        REPLACE(false, false, true);

        private final boolean safe;
        private final boolean mustBeAbsent;
        private final boolean mustBePresent;

        StoreMode(boolean safe, boolean mustBeAbsent, boolean mustBePresent) {
            this.safe = safe;
            this.mustBeAbsent = mustBeAbsent;
            this.mustBePresent = mustBePresent;
        }
    }

    private final String name;
    private final long capacity;
    private final InstantSource clock;
    private final Object lock = new Object();
    // access order = LRU order: the eldest entry is the least recently used
    private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long used;
    /** The armed journals (null: none, the common case); read and changed under the lock. */
    private DictJournal[] journals;

    public SharedDict(String name, long capacityBytes, InstantSource clock) {
        this.name = requireNonNull(name, "name");
        this.clock = requireNonNull(clock, "clock");
        if (capacityBytes < 8 * 1024) {
            throw new IllegalArgumentException("capacityBytes: " + capacityBytes + " (expected: >= 8192)");
        }
        this.capacity = capacityBytes;
    }

    public String name() {
        return name;
    }

    /** The capacity in bytes, as configured ({@code dict:capacity()}). */
    public long capacity() {
        return capacity;
    }

    /** Bytes not charged to any entry ({@code dict:free_space()}). */
    public long freeSpace() {
        synchronized (lock) {
            return capacity - used;
        }
    }

    // ---------------------------------------------------------------- reads

    /** The live value of {@code key}; empty when absent or expired; IS_A_LIST for a list. */
    public DictResult<Optional<DictItem>> get(byte[] key) {
        return read(key, false);
    }

    public DictResult<Optional<DictItem>> get(String key) {
        return get(utf8(key));
    }

    /** Like {@link #get} but also returns expired entries, marked stale. */
    public DictResult<Optional<DictItem>> getStale(byte[] key) {
        return read(key, true);
    }

    private DictResult<Optional<DictItem>> read(byte[] key, boolean stale) {
        long now = clock.millis();
        synchronized (lock) {
            Key k = new Key(key);
            Entry e = entries.get(k);
            if (journals != null) {
                touch(k, e, now);
            }
            if (e == null) {
                return new DictResult.Ok<>(Optional.empty(), false);
            }
            boolean expired = e.expired(now);
            if (expired && !stale) {
                return new DictResult.Ok<>(Optional.empty(), false);
            }
            if (e.list != null) {
                return new DictResult.Failed<>(DictError.IS_A_LIST, false);
            }
            return new DictResult.Ok<>(Optional.of(new DictItem(e.value, e.flags, expired)), false);
        }
    }

    /**
     * Remaining time to live in seconds; 0 for no expiry; NOT_FOUND when absent. An expired
     * entry that is still stored gives a negative value, as nginx does.
     */
    public DictResult<Double> ttl(byte[] key) {
        long now = clock.millis();
        synchronized (lock) {
            Key k = new Key(key);
            Entry e = entries.get(k);
            if (journals != null) {
                touch(k, e, now);
            }
            if (e == null) {
                return new DictResult.Failed<>(DictError.NOT_FOUND, false);
            }
            double ttl = e.expiresAt == 0 ? 0 : (e.expiresAt - now) / 1000.0;
            return new DictResult.Ok<>(ttl, false);
        }
    }

    /** Live keys, least recently used first (the order nginx returns); {@code max <= 0} means all. */
    public List<byte[]> keys(int max) {
        long now = clock.millis();
        synchronized (lock) {
            List<byte[]> out = new ArrayList<>();
            for (Map.Entry<Key, Entry> me : entries.entrySet()) {
                if (!me.getValue().expired(now)) {
                    out.add(me.getKey().bytes.clone());
                    if (max > 0 && out.size() >= max) {
                        break;
                    }
                }
            }
            return out;
        }
    }

    // ---------------------------------------------------------------- writes

    /**
     * Stores {@code value} under {@code key}. {@code ttlMillis} 0 means no expiry.
     * Returns Ok(true) or the error OpenResty would return (exists, not found, no memory).
     */
    public DictResult<Boolean> store(StoreMode mode, byte[] key, SharedValue value, long ttlMillis, int flags) {
        requireNonNull(mode, "mode");
        requireNonNull(value, "value");
        checkTtl(ttlMillis);
        long now = clock.millis();
        Key k = new Key(key);
        synchronized (lock) {
            Entry old = entries.get(k);
            DictJournal j = journals == null ? null : touch(k, old, now);
            boolean live = old != null && !old.expired(now);
            if (mode.mustBeAbsent && live) {
                return new DictResult.Failed<>(DictError.EXISTS, false);
            }
            if (mode.mustBePresent && !live) {
                return new DictResult.Failed<>(DictError.NOT_FOUND, false);
            }
            Entry fresh = new Entry(value, null, flags, expiry(now, ttlMillis), key.length + value.size() + ENTRY_OVERHEAD);
            DictResult<Boolean> r = place(k, old, fresh, mode.safe, now).map(true);
            if (j != null) {
                written(j, k, now);
            }
            return r;
        }
    }

    public DictResult<Boolean> set(String key, SharedValue value, long ttlMillis) {
        return store(StoreMode.SET, utf8(key), value, ttlMillis, 0);
    }

    /** Removes {@code key}; true whether or not it was there, like {@code dict:delete}. */
    public boolean delete(byte[] key) {
        synchronized (lock) {
            Key k = new Key(key);
            DictJournal j = journals == null ? null : touch(k, entries.get(k), clock.millis());
            Entry e = entries.remove(k);
            if (e != null) {
                used -= e.size;
            }
            if (j != null) {
                written(j, k, 0);
            }
            return true;
        }
    }

    /**
     * Adds {@code delta} to the number under {@code key}. When the key is absent: with an
     * {@code init}, stores {@code init + delta} with {@code initTtlMillis}; without, NOT_FOUND.
     */
    public DictResult<Double> incr(byte[] key, double delta, Optional<Double> init, long initTtlMillis) {
        requireNonNull(init, "init");
        checkTtl(initTtlMillis);
        long now = clock.millis();
        Key k = new Key(key);
        synchronized (lock) {
            Entry e = entries.get(k);
            DictJournal j = journals == null ? null : touch(k, e, now);
            DictResult<Double> r = incrLocked(k, e, delta, init, initTtlMillis, now);
            if (j != null) {
                written(j, k, now);
            }
            return r;
        }
    }

    private DictResult<Double> incrLocked(Key k, Entry e, double delta, Optional<Double> init, long initTtlMillis,
            long now) {
        if (e != null && !e.expired(now)) {
            if (!(e.value instanceof SharedValue.Num n)) {
                return new DictResult.Failed<>(DictError.NOT_A_NUMBER, false);
            }
            double sum = n.value() + delta;
            e.value = new SharedValue.Num(sum);
            return new DictResult.Ok<>(sum, false);
        }
        if (init.isEmpty()) {
            return new DictResult.Failed<>(DictError.NOT_FOUND, false);
        }
        double sum = init.get() + delta;
        Entry fresh = new Entry(new SharedValue.Num(sum), null, 0, expiry(now, initTtlMillis),
                k.bytes.length + Double.BYTES + ENTRY_OVERHEAD);
        return place(k, e, fresh, false, now).map(sum);
    }

    /** Pushes onto the head ({@code left}) or tail of the list under key; returns its new length. */
    public DictResult<Integer> push(byte[] key, SharedValue value, boolean left) {
        requireNonNull(value, "value");
        if (value instanceof SharedValue.Bool) {
            throw new IllegalArgumentException("value: boolean (expected: text or number in a list)");
        }
        long now = clock.millis();
        Key k = new Key(key);
        synchronized (lock) {
            Entry e = entries.get(k);
            DictJournal j = journals == null ? null : touch(k, e, now);
            DictResult<Integer> r = pushLocked(k, e, value, left, now);
            if (j != null) {
                written(j, k, now);
            }
            return r;
        }
    }

    private DictResult<Integer> pushLocked(Key k, Entry e, SharedValue value, boolean left, long now) {
        int add = value.size() + LIST_NODE_OVERHEAD;
        if (e != null && !e.expired(now)) {
            if (e.list == null) {
                return new DictResult.Failed<>(DictError.NOT_A_LIST, false);
            }
            boolean forcible = false;
            if (used + add > capacity) {
                forcible = evict(add, k, now, false);
                if (used + add > capacity) {
                    return new DictResult.Failed<>(DictError.NO_MEMORY, forcible);
                }
            }
            if (left) {
                e.list.addFirst(value);
            } else {
                e.list.addLast(value);
            }
            e.size += add;
            used += add;
            return new DictResult.Ok<>(e.list.size(), forcible);
        }
        ArrayDeque<SharedValue> list = new ArrayDeque<>();
        list.add(value);
        Entry fresh = new Entry(null, list, 0, 0, k.bytes.length + ENTRY_OVERHEAD + add);
        return place(k, e, fresh, false, now).map(1);
    }

    /** Pops from the head ({@code left}) or tail; empty when the key is absent. */
    public DictResult<Optional<SharedValue>> pop(byte[] key, boolean left) {
        long now = clock.millis();
        Key k = new Key(key);
        synchronized (lock) {
            Entry e = entries.get(k);
            DictJournal j = journals == null ? null : touch(k, e, now);
            DictResult<Optional<SharedValue>> r = popLocked(k, e, left, now);
            if (j != null) {
                written(j, k, now);
            }
            return r;
        }
    }

    private DictResult<Optional<SharedValue>> popLocked(Key k, Entry e, boolean left, long now) {
        if (e == null || e.expired(now)) {
            return new DictResult.Ok<>(Optional.empty(), false);
        }
        if (e.list == null) {
            return new DictResult.Failed<>(DictError.NOT_A_LIST, false);
        }
        SharedValue v = left ? e.list.pollFirst() : e.list.pollLast();
        int freed = v.size() + LIST_NODE_OVERHEAD;
        e.size -= freed;
        used -= freed;
        if (e.list.isEmpty()) {
            entries.remove(k);
            used -= e.size;
        }
        return new DictResult.Ok<>(Optional.of(v), false);
    }

    /** Length of the list under key; 0 when absent. */
    public DictResult<Integer> llen(byte[] key) {
        long now = clock.millis();
        synchronized (lock) {
            Key k = new Key(key);
            Entry e = entries.get(k);
            if (journals != null) {
                touch(k, e, now);
            }
            if (e == null || e.expired(now)) {
                return new DictResult.Ok<>(0, false);
            }
            if (e.list == null) {
                return new DictResult.Failed<>(DictError.NOT_A_LIST, false);
            }
            return new DictResult.Ok<>(e.list.size(), false);
        }
    }

    /** Sets a new time to live (0: never expires) on a live key; NOT_FOUND otherwise. */
    public DictResult<Boolean> expire(byte[] key, long ttlMillis) {
        checkTtl(ttlMillis);
        long now = clock.millis();
        synchronized (lock) {
            Key k = new Key(key);
            Entry e = entries.get(k);
            DictJournal j = journals == null ? null : touch(k, e, now);
            if (e == null || e.expired(now)) {
                return new DictResult.Failed<>(DictError.NOT_FOUND, false);
            }
            e.expiresAt = expiry(now, ttlMillis);
            if (j != null) {
                written(j, k, now);
            }
            return new DictResult.Ok<>(true, false);
        }
    }

    /** Removes every entry (measured on OpenResty: afterwards even get_stale finds nothing). */
    public void flushAll() {
        synchronized (lock) {
            DictJournal j = journals == null ? null : journal();
            if (j != null) {
                long now = clock.millis();
                for (Map.Entry<Key, Entry> me : entries.entrySet()) {
                    if (j.needsBefore(name, me.getKey())) {
                        j.before(name, me.getKey(), image(me.getValue(), now));
                    }
                    j.after(name, me.getKey(), DictImage.ABSENT);
                }
            }
            entries.clear();
            used = 0;
        }
    }

    /** Removes up to {@code max} expired entries ({@code max <= 0}: all); returns how many. */
    public int flushExpired(int max) {
        long now = clock.millis();
        synchronized (lock) {
            int n = 0;
            Iterator<Entry> it = entries.values().iterator();
            while (it.hasNext() && (max <= 0 || n < max)) {
                Entry e = it.next();
                if (e.expired(now)) {
                    it.remove();
                    used -= e.size;
                    n++;
                }
            }
            return n;
        }
    }

    // ---------------------------------------------------------------- String-keyed forms (UTF-8 keys)

    public DictResult<Double> incr(String key, double delta, Optional<Double> init, long initTtlMillis) {
        return incr(utf8(key), delta, init, initTtlMillis);
    }

    public DictResult<Boolean> store(StoreMode mode, String key, SharedValue value, long ttlMillis, int flags) {
        return store(mode, utf8(key), value, ttlMillis, flags);
    }

    public boolean delete(String key) {
        return delete(utf8(key));
    }

    public DictResult<Double> ttl(String key) {
        return ttl(utf8(key));
    }

    public DictResult<Boolean> expire(String key, long ttlMillis) {
        return expire(utf8(key), ttlMillis);
    }

    // ---------------------------------------------------------------- images and the journal

    /**
     * The live entry of {@code key} as an image ({@link DictImage.Absent} when absent or
     * expired). Not recorded by a journal: it is how a shadow's dicts are set up and read.
     */
    public DictImage image(byte[] key) {
        long now = clock.millis();
        synchronized (lock) {
            return image(entries.get(new Key(key)), now);
        }
    }

    /**
     * Makes {@code key} hold exactly {@code image} (value, flags, list items and the absolute
     * expiry; {@link DictImage.Absent} deletes), evicting as a set would. Not recorded by a
     * journal: it sets up a shadow's dicts. Returns false when the entry does not fit.
     */
    public boolean install(byte[] key, DictImage image) {
        requireNonNull(image, "image");
        Key k = new Key(key.clone());
        long now = clock.millis();
        synchronized (lock) {
            Entry old = entries.get(k);
            Entry fresh = switch (image) {
                case DictImage.Absent a -> null;
                case DictImage.Value v -> new Entry(v.value(), null, v.flags(), v.expiresAtMillis(),
                        k.bytes.length + v.value().size() + ENTRY_OVERHEAD);
                case DictImage.ListOf l -> {
                    ArrayDeque<SharedValue> list = new ArrayDeque<>(l.items());
                    long size = k.bytes.length + ENTRY_OVERHEAD;
                    for (SharedValue item : list) {
                        size += item.size() + LIST_NODE_OVERHEAD;
                    }
                    yield list.isEmpty() ? null : new Entry(null, list, 0, l.expiresAtMillis(), size);
                }
            };
            if (fresh == null) {
                if (old != null) {
                    entries.remove(k);
                    used -= old.size;
                }
                return true;
            }
            return place(k, old, fresh, false, now).ok();
        }
    }

    /** Arms {@code j} for its thread, replacing a journal that thread left armed. */
    void arm(DictJournal j) {
        synchronized (lock) {
            List<DictJournal> js = new ArrayList<>(journals == null ? 1 : journals.length + 1);
            if (journals != null) {
                for (DictJournal o : journals) {
                    if (o.owner != j.owner) {
                        js.add(o);
                    }
                }
            }
            js.add(j);
            journals = js.toArray(new DictJournal[0]);
        }
    }

    void disarm(DictJournal j) {
        synchronized (lock) {
            if (journals == null) {
                return;
            }
            List<DictJournal> js = new ArrayList<>(journals.length);
            for (DictJournal o : journals) {
                if (o != j) {
                    js.add(o);
                }
            }
            journals = js.isEmpty() ? null : js.toArray(new DictJournal[0]);
        }
    }

    /** The calling thread's armed journal, or null. Lock held, journals armed. */
    private DictJournal journal() {
        Thread t = Thread.currentThread();
        for (DictJournal j : journals) {
            if (j.owner == t) {
                return j;
            }
        }
        return null;
    }

    /** Records {@code k}'s image before the calling thread's first touch; its journal, or null. Lock held. */
    private DictJournal touch(Key k, Entry e, long now) {
        DictJournal j = journal();
        if (j != null && j.needsBefore(name, k)) {
            j.before(name, k, image(e, now));
        }
        return j;
    }

    /** Records {@code k}'s image after a write by the journal's thread. Lock held. */
    private void written(DictJournal j, Key k, long now) {
        j.after(name, k, image(entries.get(k), now));
    }

    private static DictImage image(Entry e, long now) {
        if (e == null || e.expired(now)) {
            return DictImage.ABSENT;
        }
        if (e.list != null) {
            return new DictImage.ListOf(List.copyOf(e.list), e.expiresAt);
        }
        return new DictImage.Value(e.value, e.flags, e.expiresAt);
    }

    // ---------------------------------------------------------------- internals

    /** Replaces {@code old} (may be null) with {@code fresh}, making room. Lock held. */
    private DictResult<Boolean> place(Key k, Entry old, Entry fresh, boolean safe, long now) {
        if (fresh.size > capacity) {
            return new DictResult.Failed<>(DictError.NO_MEMORY, false);
        }
        long oldSize = old == null ? 0 : old.size;
        long need = fresh.size - oldSize;
        boolean forcible = false;
        if (used + need > capacity) {
            forcible = evict(need, k, now, safe);
            if (used + need > capacity) {
                return new DictResult.Failed<>(DictError.NO_MEMORY, forcible);
            }
        }
        if (old != null) {
            entries.remove(k);
            used -= oldSize;
        }
        entries.put(k, fresh);
        used += fresh.size;
        return new DictResult.Ok<>(true, forcible);
    }

    /**
     * Frees room for {@code need} more bytes: expired entries first, then (unless
     * {@code expiredOnly}) live ones from the LRU end. Returns true when a live entry was
     * evicted. Never evicts {@code keep}. Lock held.
     */
    private boolean evict(long need, Key keep, long now, boolean expiredOnly) {
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext() && used + need > capacity) {
            Map.Entry<Key, Entry> me = it.next();
            if (me.getValue().expired(now) && !me.getKey().equals(keep)) {
                it.remove();
                used -= me.getValue().size;
            }
        }
        if (expiredOnly) {
            return false;
        }
        boolean forcible = false;
        it = entries.entrySet().iterator();
        while (it.hasNext() && used + need > capacity) {
            Map.Entry<Key, Entry> me = it.next();
            if (!me.getKey().equals(keep)) {
                it.remove();
                used -= me.getValue().size;
                forcible = true;
            }
        }
        return forcible;
    }

    private static long expiry(long now, long ttlMillis) {
        return ttlMillis == 0 ? 0 : now + ttlMillis;
    }

    private static void checkTtl(long ttlMillis) {
        if (ttlMillis < 0) {
            throw new IllegalArgumentException("ttlMillis: " + ttlMillis + " (expected: >= 0)");
        }
    }

    private static byte[] utf8(String key) {
        return requireNonNull(key, "key").getBytes(StandardCharsets.UTF_8);
    }

    /** A byte-string key with content equality. */
    static final class Key {
        final byte[] bytes;
        final int hash;

        Key(byte[] bytes) {
            this.bytes = requireNonNull(bytes, "key");
            this.hash = Arrays.hashCode(bytes);
        }

        /** A key on its own copy of the bytes (the caller's array may change). */
        Key copy() {
            return new Key(bytes.clone());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** A stored value or list; mutable only under the dict's lock. */
    private static final class Entry {
        SharedValue value;
        final ArrayDeque<SharedValue> list;
        final int flags;
        long expiresAt;
        long size;

        Entry(SharedValue value, ArrayDeque<SharedValue> list, int flags, long expiresAt, long size) {
            this.value = value;
            this.list = list;
            this.flags = flags;
            this.expiresAt = expiresAt;
            this.size = size;
        }

        boolean expired(long now) {
            return expiresAt != 0 && expiresAt <= now;
        }
    }
}
