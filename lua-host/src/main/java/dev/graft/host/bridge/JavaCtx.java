package dev.graft.host.bridge;

import dev.graft.bridge.CtxKey;
import dev.graft.bridge.CtxType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.luaj.vm2.LuaTable;

/**
 * The request context of a request on the native path, before any Lua stage ran: typed values
 * by {@code ngx.ctx} field name, kept as Java objects (no conversion while only Java stages read
 * and write them). Stored in {@link dev.graft.host.exchange.Exchange#luaCtx(Object)}, where
 * the Lua host keeps its {@code ngx.ctx} table; {@link #toLua()} converts each entry once when
 * a Lua stage must run, and the table then replaces this object.
 */
final class JavaCtx {

    private record Entry(CtxType<?> type, Object value) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    @SuppressWarnings("unchecked")
    <T> Optional<T> get(CtxKey<T> key) {
        Entry e = entries.get(key.name());
        // a key read with another type than it was written with reads as absent, as in Lua
        return e == null || !e.type().equals(key.type()) ? Optional.empty() : Optional.of((T) e.value());
    }

    <T> void put(CtxKey<T> key, T value) {
        entries.put(key.name(), new Entry(key.type(), value));
    }

    void remove(CtxKey<?> key) {
        entries.remove(key.name());
    }

    /** A new {@code ngx.ctx} table holding every entry, each converted once. */
    LuaTable toLua() {
        LuaTable t = new LuaTable();
        entries.forEach((name, e) -> t.rawset(name, convert(e)));
        return t;
    }

    @SuppressWarnings("unchecked")
    private static <T> org.luaj.vm2.LuaValue convert(Entry e) {
        return CtxValues.toLua((CtxType<T>) e.type(), (T) e.value());
    }
}
