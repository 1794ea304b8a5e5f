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
 * <p>A request carries a handful of entries, so they sit in insertion order in small arrays,
 * found by a scan on the name (constants: identity first); each value is kept as the
 * {@code Optional} that {@link #get} returns, so a read allocates nothing. The native path also
 * keeps its per-request state here ({@link #customer}, {@link #run}, {@link #exchange}): it
 * lives exactly as long as the request's Java-side context.
 */
final class JavaCtx {

    private String[] names = new String[8];
    private CtxType<?>[] types = new CtxType<?>[8];
    private Optional<?>[] values = new Optional<?>[8];
    private int size;

    /** The native path's customer of this request, once resolved (else null). */
    String customer;
    /** The native path's stages for {@link #customer} (else null). */
    NativePipeline.CustomerRun run;
    /** The native path's one stage exchange of this request (else null). */
    BridgeExchange exchange;

    private int indexOf(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i] == name) {
                return i;
            }
        }
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @SuppressWarnings("unchecked")
    <T> Optional<T> get(CtxKey<T> key) {
        int i = indexOf(key.name());
        // a key read with another type than it was written with reads as absent, as in Lua
        return i < 0 || !types[i].equals(key.type()) ? Optional.empty() : (Optional<T>) values[i];
    }

    <T> void put(CtxKey<T> key, T value) {
        Optional<T> v = Optional.of(value);
        int i = indexOf(key.name());
        if (i >= 0) {
            types[i] = key.type();
            values[i] = v;
            return;
        }
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            types = Arrays.copyOf(types, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = key.name();
        types[size] = key.type();
        values[size] = v;
        size++;
    }

    void remove(CtxKey<?> key) {
        int i = indexOf(key.name());
        if (i < 0) {
            return;
        }
        int tail = size - i - 1;
        System.arraycopy(names, i + 1, names, i, tail);
        System.arraycopy(types, i + 1, types, i, tail);
        System.arraycopy(values, i + 1, values, i, tail);
        size--;
        names[size] = null;
        types[size] = null;
        values[size] = null;
    }

    /** A new {@code ngx.ctx} table holding every entry, each converted once. */
    LuaTable toLua() {
        LuaTable t = new LuaTable();
        for (int i = 0; i < size; i++) {
            t.rawset(names[i], convert(types[i], values[i].orElseThrow()));
        }
        return t;
    }

    @SuppressWarnings("unchecked")
    private static <T> LuaValue convert(CtxType<?> type, Object value) {
        return CtxValues.toLua((CtxType<T>) type, (T) value);
    }
}
