package dev.graft.host.parity;

import java.util.ArrayList;
import java.util.List;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * A Lua value written out canonically for comparison: strings byte for byte (one char per
 * byte), tables with their keys sorted, so that two tables with the same content read the same
 * whichever order they were filled in.
 */
final class LuaValues {

    private static final int MAX_DEPTH = 6;

    private LuaValues() {}

    /** A table key as an effect path segment: a string key's bytes without quotes. */
    static String key(LuaValue k) {
        if (k.type() == LuaValue.TSTRING) {
            org.luaj.vm2.LuaString s = k.checkstring();
            return new String(s.m_bytes, s.m_offset, s.m_length, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        return describe(k);
    }

    static String describe(LuaValue v) {
        StringBuilder sb = new StringBuilder();
        write(sb, v, 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, LuaValue v, int depth) {
        switch (v.type()) {
            case LuaValue.TNIL -> sb.append("nil");
            case LuaValue.TBOOLEAN -> sb.append(v.toboolean());
            case LuaValue.TNUMBER -> sb.append(v.isinttype() || (v.todouble() == Math.rint(v.todouble())
                    && Math.abs(v.todouble()) < 1e15) ? Long.toString((long) v.todouble()) : Double.toString(v.todouble()));
            case LuaValue.TSTRING -> {
                // the bytes, one char each: a decoding would make different invalid UTF-8 look alike
                org.luaj.vm2.LuaString s = v.checkstring();
                sb.append('"').append(new String(s.m_bytes, s.m_offset, s.m_length,
                        java.nio.charset.StandardCharsets.ISO_8859_1)).append('"');
            }
            case LuaValue.TTABLE -> {
                if (depth >= MAX_DEPTH) {
                    sb.append("{...}");
                    return;
                }
                List<String> entries = new ArrayList<>();
                LuaValue k = LuaValue.NIL;
                while (true) {
                    Varargs n = v.next(k);
                    k = n.arg1();
                    if (k.isnil()) {
                        break;
                    }
                    StringBuilder e = new StringBuilder();
                    write(e, k, depth + 1);
                    e.append('=');
                    write(e, n.arg(2), depth + 1);
                    entries.add(e.toString());
                }
                entries.sort(null);
                sb.append('{').append(String.join(", ", entries)).append('}');
            }
            default -> sb.append(v.typename());
        }
    }
}
