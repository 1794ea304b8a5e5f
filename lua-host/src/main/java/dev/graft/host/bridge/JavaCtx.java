package dev.graft.host.bridge;

import dev.graft.bridge.CtxKey;
import dev.graft.bridge.CtxType;
import java.util.Arrays;
import java.util.Optional;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * The request context of a request on the native path, before any Lua stage ran: typed values
 * by {@code ngx.ctx} field name, kept as Java objects (no conversion while only Java stages read
 * and write them). Stored in {@link dev.graft.host.exchange.Exchange#luaCtx(Object)}, where
 * the Lua host keeps its {@code ngx.ctx} table; {@link #toLua()} converts each entry once when
 * a Lua stage must run, and the table then replaces this object.
 *
 * <p>A request carries a handful of entries, so they sit in insertion order in one small array,
 * found by a scan on the name (constants: identity first); each value is kept as the
 * {@code Optional} that {@link #get} returns, so a read allocates nothing. The native path also
 * keeps its per-request state here ({@link #customer}, {@link #run}, {@link #exchange}): it
 * lives exactly as long as the request's Java-side context.
 */
final class JavaCtx {

    // entry i is (name, type, value) at 3i, 3i+1, 3i+2: one array, a handful of entries
    private Object[] entries = new Object[3 * 8];
    private int size;
    // one bit per name hash (mod 64) of the names held: most reads are of absent keys, answered here
    private long hashes;

    /** The native path's customer of this request, once resolved (else null). */
    String customer;
    /** The native path's stages for {@link #customer} (else null). */
    NativePipeline.CustomerRun run;
    /** The native path's one stage exchange of this request (else null). */
    BridgeExchange exchange;

    private static long bit(String name) {
        return 1L << (name.hashCode() & 63);
    }

    private int indexOf(String name) {
        int h = name.hashCode(); // cached by String: a mismatch costs an int compare
        if ((hashes & (1L << (h & 63))) == 0) {
            return -1;
        }
        for (int i = 0; i < size; i++) {
            String n = (String) entries[3 * i];
            if (n == name || (n.hashCode() == h && n.equals(name))) {
                return i;
            }
        }
        return -1;
    }

    @SuppressWarnings("unchecked")
    <T> Optional<T> get(CtxKey<T> key) {
        int i = indexOf(key.name());
        // a key read with another type than it was written with reads as absent, as in Lua
        return i < 0 || !entries[3 * i + 1].equals(key.type()) ? Optional.empty() : (Optional<T>) entries[3 * i + 2];
    }

    <T> void put(CtxKey<T> key, T value) {
        Optional<T> v = Optional.of(value);
        int i = indexOf(key.name());
        if (i < 0) {
            if (3 * size == entries.length) {
                entries = Arrays.copyOf(entries, entries.length * 2);
            }
            i = size++;
            entries[3 * i] = key.name();
            hashes |= bit(key.name());
        }
        entries[3 * i + 1] = key.type();
        entries[3 * i + 2] = v;
    }

    void remove(CtxKey<?> key) {
        int i = indexOf(key.name());
        if (i < 0) {
            return;
        }
        System.arraycopy(entries, 3 * (i + 1), entries, 3 * i, 3 * (size - i - 1));
        size--;
        Arrays.fill(entries, 3 * size, 3 * size + 3, null);
        hashes = 0; // another name may share the removed one's bit
        for (int j = 0; j < size; j++) {
            hashes |= bit((String) entries[3 * j]);
        }
    }

    /** A new {@code ngx.ctx} table holding every entry, each converted once. */
    LuaTable toLua() {
        LuaTable t = new LuaTable();
        for (int i = 0; i < size; i++) {
            t.rawset((String) entries[3 * i], convert((CtxType<?>) entries[3 * i + 1],
                    ((Optional<?>) entries[3 * i + 2]).orElseThrow()));
        }
        return t;
    }

    @SuppressWarnings("unchecked")
    private static <T> LuaValue convert(CtxType<?> type, Object value) {
        return CtxValues.toLua((CtxType<T>) type, (T) value);
    }
}
