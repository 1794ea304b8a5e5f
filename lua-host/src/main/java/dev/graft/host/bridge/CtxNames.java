package dev.graft.host.bridge;

import dev.graft.bridge.CtxKey;
import java.util.IdentityHashMap;
import org.luaj.vm2.LuaString;

/**
 * The {@code ngx.ctx} field name of each {@link CtxKey} as a Lua string, made once per event
 * loop: reading or writing the Lua table by a Java String would encode the name again on every
 * access. Keys are compared by identity (they are constants); confined to its loop, like the VM.
 */
final class CtxNames {

    /** Past this many distinct keys (only keys made per request could get there) the cache starts over. */
    private static final int MAX_KEYS = 256;

    private final IdentityHashMap<CtxKey<?>, LuaString> names = new IdentityHashMap<>();

    LuaString of(CtxKey<?> key) {
        LuaString s = names.get(key);
        if (s == null) {
            if (names.size() >= MAX_KEYS) {
                names.clear();
            }
            s = LuaString.valueOf(key.name());
            names.put(key, s);
        }
        return s;
    }
}
