package dev.graft.host.bridge;

import dev.graft.bridge.CtxKey;
import java.util.HashMap;
import java.util.IdentityHashMap;
import org.luaj.vm2.LuaString;

/**
 * The {@code ngx.ctx} field name of each {@link CtxKey} as a Lua string, made once per event
 * loop: reading or writing the Lua table by a Java String would encode the name again on every
 * access; likewise the field names inside {@code CtxType.FIELDS} tables, both ways. Keys are
 * compared by identity (they are constants); confined to its loop, like the VM.
 */
final class CtxNames {

    /** Past this many distinct keys (only keys made per request could get there) the cache starts over. */
    private static final int MAX_KEYS = 256;

    private final IdentityHashMap<CtxKey<?>, LuaString> names = new IdentityHashMap<>();
    // the field names of CtxType.FIELDS tables ({rule, limit, ...}), both ways
    private final HashMap<String, LuaString> encoded = new HashMap<>();
    private final HashMap<LuaString, String> decoded = new HashMap<>();

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

    /** {@code text} as a Lua string, made once per distinct text. */
    LuaString text(String text) {
        LuaString s = encoded.get(text);
        if (s == null) {
            if (encoded.size() >= MAX_KEYS) {
                encoded.clear();
            }
            s = LuaString.valueOf(text);
            encoded.put(text, s);
        }
        return s;
    }

    /** {@code s} as Java text ({@code tojstring}), decoded once per distinct string. */
    String text(LuaString s) {
        String t = decoded.get(s);
        if (t == null) {
            if (decoded.size() >= MAX_KEYS) {
                decoded.clear();
            }
            t = s.tojstring();
            decoded.put(s, t);
        }
        return t;
    }
}
