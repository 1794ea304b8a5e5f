package dev.graft.host.bridge;

import dev.graft.bridge.CtxType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The one Lua/Java conversion of each {@link CtxType}, as its javadoc table defines it. A Lua
 * value of the wrong shape reads as absent. Used once per crossing: a Java {@code put} converts
 * to Lua when the request's context is the Lua {@code ngx.ctx} table, a Java {@code get} converts
 * from it, and the native path's Java-side context is converted entry by entry, once, when a
 * Lua stage first needs {@code ngx.ctx}.
 */
final class CtxValues {

    private CtxValues() {}

    /** {@code v} read as {@code type}; empty when nil or of another shape. */
    @SuppressWarnings("unchecked")
    static <T> Optional<T> fromLua(CtxType<T> type, LuaValue v) {
        return fromLua(type, v, null);
    }

    /** As {@link #fromLua(CtxType, LuaValue)}, with field names decoded through the loop's {@code names} (may be null). */
    @SuppressWarnings("unchecked")
    static <T> Optional<T> fromLua(CtxType<T> type, LuaValue v, CtxNames names) {
        if (v.isnil()) {
            return Optional.empty();
        }
        Object out = switch (type) {
            case CtxType.Text t -> v.type() == LuaValue.TSTRING ? utf8(v.checkstring()) : null;
            case CtxType.Bytes b -> v.type() == LuaValue.TSTRING ? bytes(v.checkstring()) : null;
            case CtxType.Int i -> integral(v);
            case CtxType.Num n -> v.type() == LuaValue.TNUMBER ? v.todouble() : null;
            case CtxType.Bool b -> v.type() == LuaValue.TBOOLEAN ? v.toboolean() : null;
            case CtxType.TextList l -> textList(v);
            case CtxType.IntList l -> intList(v);
            case CtxType.Fields f -> fields(v, names);
        };
        return Optional.ofNullable((T) out);
    }

    /** {@code value} as Lua sees it under {@code type}. */
    static <T> LuaValue toLua(CtxType<T> type, T value) {
        return toLua(type, value, null);
    }

    /** As {@link #toLua(CtxType, Object)}, with field names encoded through the loop's {@code names} (may be null). */
    static <T> LuaValue toLua(CtxType<T> type, T value, CtxNames names) {
        return switch (type) {
            case CtxType.Text t -> LuaValue.valueOf((String) value);
            case CtxType.Bytes b -> LuaString.valueUsing(((byte[]) value).clone());
            case CtxType.Int i -> number((Long) value);
            case CtxType.Num n -> LuaValue.valueOf((Double) value);
            case CtxType.Bool b -> LuaValue.valueOf((Boolean) value);
            case CtxType.TextList l -> {
                List<?> list = (List<?>) value;
                LuaTable t = new LuaTable(list.size(), 0);
                for (int i = 0; i < list.size(); i++) {
                    t.rawset(i + 1, LuaValue.valueOf((String) list.get(i)));
                }
                yield t;
            }
            case CtxType.IntList l -> {
                List<?> list = (List<?>) value;
                LuaTable t = new LuaTable(list.size(), 0);
                for (int i = 0; i < list.size(); i++) {
                    t.rawset(i + 1, number((Long) list.get(i)));
                }
                yield t;
            }
            case CtxType.Fields f -> {
                Map<?, ?> map = (Map<?, ?>) value;
                LuaTable t = new LuaTable(0, map.size());
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    String k = (String) e.getKey();
                    t.rawset(names == null ? LuaString.valueOf(k) : names.text(k), scalar(e.getValue()));
                }
                yield t;
            }
        };
    }

    /**
     * Whether {@link #fromLua} of {@code lua} is a value equal to {@code value} and of an
     * immutable type, so that a Java reader may be given {@code value} itself while the Lua table
     * still holds {@code lua} (the host's per-request cache of values read back). Text with a
     * lone surrogate, integers past 2^53 and -0.0 change on the way; byte arrays and tables can be
     * changed after the crossing.
     */
    static boolean cacheable(CtxType<?> type, Object value) {
        return switch (type) {
            case CtxType.Text t -> !hasSurrogate((String) value);
            case CtxType.Int i -> Math.abs((Long) value) <= (1L << 53);
            case CtxType.Num n -> Double.doubleToLongBits((Double) value) != Double.doubleToLongBits(-0.0);
            case CtxType.Bool b -> true;
            case CtxType.Bytes b -> false;
            case CtxType.TextList l -> false;
            case CtxType.IntList l -> false;
            case CtxType.Fields f -> false;
        };
    }

    private static boolean hasSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static LuaValue number(long n) {
        return n == (int) n ? LuaValue.valueOf((int) n) : LuaValue.valueOf((double) n);
    }

    private static LuaValue scalar(Object v) {
        return switch (v) {
            case String s -> LuaValue.valueOf(s);
            case Long l -> number(l);
            case Integer i -> LuaValue.valueOf(i);
            case Double d -> LuaValue.valueOf(d);
            case Boolean b -> LuaValue.valueOf(b);
            default -> throw new IllegalArgumentException("value: " + v + " (expected: a String, Long, Double or Boolean)");
        };
    }

    private static String utf8(LuaString s) {
        return new String(s.m_bytes, s.m_offset, s.m_length, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(LuaString s) {
        byte[] b = new byte[s.m_length];
        System.arraycopy(s.m_bytes, s.m_offset, b, 0, s.m_length);
        return b;
    }

    private static Long integral(LuaValue v) {
        if (v.type() != LuaValue.TNUMBER) {
            return null;
        }
        double d = v.todouble();
        return d == Math.rint(d) && !Double.isInfinite(d) ? (long) d : null;
    }

    private static List<String> textList(LuaValue v) {
        if (!v.istable()) {
            return null;
        }
        LuaTable t = (LuaTable) v;
        int n = t.length();
        List<String> out = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            LuaValue e = t.rawget(i);
            if (e.type() == LuaValue.TSTRING) {
                out.add(utf8(e.checkstring()));
            } else if (e.type() == LuaValue.TNUMBER) {
                out.add(e.tojstring());
            } else {
                return null;
            }
        }
        return Collections.unmodifiableList(out);
    }

    private static List<Long> intList(LuaValue v) {
        if (!v.istable()) {
            return null;
        }
        LuaTable t = (LuaTable) v;
        int n = t.length();
        List<Long> out = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            Long l = integral(t.rawget(i));
            if (l == null) {
                return null;
            }
            out.add(l);
        }
        return Collections.unmodifiableList(out);
    }

    private static Map<String, Object> fields(LuaValue v, CtxNames names) {
        if (!v.istable()) {
            return null;
        }
        LuaTable t = (LuaTable) v;
        Map<String, Object> out = new LinkedHashMap<>();
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            k = n.arg1();
            if (k.isnil()) {
                break;
            }
            if (k.type() != LuaValue.TSTRING) {
                return null;
            }
            LuaValue e = n.arg(2);
            Object value = switch (e.type()) {
                case LuaValue.TSTRING -> utf8(e.checkstring());
                case LuaValue.TNUMBER -> {
                    Long l = integral(e);
                    yield l != null ? (Object) l : (Object) e.todouble();
                }
                case LuaValue.TBOOLEAN -> e.toboolean();
                default -> null;
            };
            if (value == null) {
                return null;
            }
            out.put(names == null ? k.tojstring() : names.text((LuaString) k), value);
        }
        return Collections.unmodifiableMap(out);
    }
}
