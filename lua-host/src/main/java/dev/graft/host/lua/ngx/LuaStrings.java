package dev.graft.host.lua.ngx;

import java.util.HashMap;
import java.util.Map;
import org.luaj.vm2.LuaString;

/**
 * One VM's memo of the Lua strings it made from the exchange's Java strings, so that the
 * tables several stages build from the same request ({@code ngx.req.get_headers()} in
 * normalize, cache, waf ...) convert each header once.
 *
 * <ul>
 *   <li>Values by instance: a slot per string hash, holding the last {@code String} converted
 *       there and its Lua string. The same instance is the same text, so a hit is exact; a
 *       header a stage changed is a new instance and is converted afresh. The slots hold the
 *       most recent request's strings until others replace them.</li>
 *   <li>Header names lower-cased, by content: names repeat across requests and are few (the
 *       map starts over past {@value #MAX_NAMES}).</li>
 * </ul>
 * Owned by the VM's event-loop thread, like the VM.
 */
final class LuaStrings {

    private static final int SLOTS = 256;
    private static final int MAX_NAMES = 512;

    private final String[] texts = new String[SLOTS];
    private final LuaString[] values = new LuaString[SLOTS];
    private final Map<String, LuaString> lowerNames = new HashMap<>();

    /** {@link LuaBytes#latin1(CharSequence)}, reused while {@code s} is the same {@code String}. */
    LuaString latin1(CharSequence s) {
        if (!(s instanceof String text)) {
            return LuaBytes.latin1(s);
        }
        int h = text.hashCode();
        int i = (h ^ (h >>> 16)) & (SLOTS - 1);
        if (texts[i] == text) {
            return values[i];
        }
        LuaString v = LuaBytes.latin1(text);
        texts[i] = text;
        values[i] = v;
        return v;
    }

    /** The lower-case Lua string of a header name (OpenResty's get_headers keys). */
    LuaString lowerName(CharSequence name) {
        String key = name.toString();
        LuaString v = lowerNames.get(key);
        if (v == null) {
            v = LuaBytes.lower(LuaBytes.latin1(key));
            if (lowerNames.size() >= MAX_NAMES) {
                lowerNames.clear();
            }
            lowerNames.put(key, v);
        }
        return v;
    }
}
