package dev.graft.modules.waf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A strict JSON reader that accepts and refuses exactly what {@code cjson.safe.decode} does with
 * lua-cjson's defaults (Graft's cjson, lua-host JsonDecoder, is the measured reference): the
 * strtod number forms ({@code +1}, {@code 0x1F}, {@code 1.}, {@code inf}, {@code nan}), no
 * comments, no trailing commas, nesting at most 1000 deep, {@code \\u} escapes to UTF-8 with
 * surrogate pairs, unpaired surrogates refused. Input and strings are byte strings (one char per
 * byte) and no UTF-8 check is made, as in lua-cjson.
 *
 * <p>The tree: String, {@link #NUMBER}, Boolean, {@link #NULL}, List, Map (a repeated key keeps
 * its last value). Numbers carry no value: the waf never looks at them.
 */
final class JsonBody {

    /** A JSON number. */
    static final Object NUMBER = new Object();
    /** JSON null ({@code cjson.null}). */
    static final Object NULL = new Object();

    private static final int MAX_DEPTH = 1000;

    private final String s;
    private int pos;
    private int depth;

    private JsonBody(String s) {
        this.s = s;
    }

    /** The document, or empty when cjson.safe.decode would return nil. */
    static Optional<Object> decode(String text) {
        JsonBody p = new JsonBody(text);
        try {
            Object v = p.value();
            p.skipSpace();
            if (p.pos != text.length()) {
                return Optional.empty();
            }
            return Optional.of(v);
        } catch (Invalid e) {
            return Optional.empty();
        }
    }

    private static final class Invalid extends Exception {
        Invalid() {
            super(null, null, false, false);
        }
    }

    private int at(int i) {
        return i < s.length() ? s.charAt(i) : -1;
    }

    private void skipSpace() {
        int c = at(pos);
        while (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            c = at(++pos);
        }
    }

    private Object value() throws Invalid {
        skipSpace();
        int c = at(pos);
        switch (c) {
            case '{' -> {
                return object();
            }
            case '[' -> {
                return array();
            }
            case '"' -> {
                return string();
            }
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number();
                    return NUMBER;
                }
                if (literal("true")) {
                    return Boolean.TRUE;
                }
                if (literal("false")) {
                    return Boolean.FALSE;
                }
                if (literal("null")) {
                    return NULL;
                }
                if (c == '+' || startsWithIgnoreCase("inf") || startsWithIgnoreCase("nan")) {
                    number();
                    return NUMBER;
                }
                throw new Invalid();
            }
        }
    }

    private void descend() throws Invalid {
        if (++depth > MAX_DEPTH) {
            throw new Invalid();
        }
    }

    private Map<String, Object> object() throws Invalid {
        descend();
        pos++;
        Map<String, Object> m = new HashMap<>();
        skipSpace();
        if (at(pos) == '}') {
            pos++;
            depth--;
            return m;
        }
        while (true) {
            skipSpace();
            if (at(pos) != '"') {
                throw new Invalid();
            }
            String key = string();
            skipSpace();
            if (at(pos) != ':') {
                throw new Invalid();
            }
            pos++;
            m.put(key, value());
            skipSpace();
            int c = at(pos);
            pos++;
            if (c == '}') {
                break;
            }
            if (c != ',') {
                throw new Invalid();
            }
        }
        depth--;
        return m;
    }

    private List<Object> array() throws Invalid {
        descend();
        pos++;
        List<Object> list = new ArrayList<>();
        skipSpace();
        if (at(pos) == ']') {
            pos++;
            depth--;
            return list;
        }
        while (true) {
            list.add(value());
            skipSpace();
            int c = at(pos);
            pos++;
            if (c == ']') {
                break;
            }
            if (c != ',') {
                throw new Invalid();
            }
        }
        depth--;
        return list;
    }

    private boolean literal(String word) {
        if (s.startsWith(word, pos)) {
            pos += word.length();
            return true;
        }
        return false;
    }

    private boolean startsWithIgnoreCase(String word) {
        for (int i = 0; i < word.length(); i++) {
            if ((at(pos + i) | 0x20) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A number as C's strtod reads it (what lua-cjson does). */
    private void number() throws Invalid {
        int p = pos;
        if (at(p) == '-' || at(p) == '+') {
            p++;
        }
        if (at(p) == '0' && (at(p + 1) | 0x20) == 'x' && Character.digit(at(p + 2), 16) >= 0 && at(p + 2) < 128) {
            p += 2;
            while (at(p) >= 0 && at(p) < 128 && Character.digit(at(p), 16) >= 0) {
                p++;
            }
        } else if ((at(p) | 0x20) == 'i' && (at(p + 1) | 0x20) == 'n' && (at(p + 2) | 0x20) == 'f') {
            p += 3;
            String rest = "inity";
            int k = 0;
            while (k < rest.length() && (at(p + k) | 0x20) == rest.charAt(k)) {
                k++;
            }
            if (k == rest.length()) {
                p += k;
            }
        } else if ((at(p) | 0x20) == 'n' && (at(p + 1) | 0x20) == 'a' && (at(p + 2) | 0x20) == 'n') {
            p += 3;
        } else {
            int digits = 0;
            while (at(p) >= '0' && at(p) <= '9') {
                p++;
                digits++;
            }
            if (at(p) == '.') {
                p++;
                while (at(p) >= '0' && at(p) <= '9') {
                    p++;
                    digits++;
                }
            }
            if (digits == 0) {
                throw new Invalid();
            }
            if ((at(p) | 0x20) == 'e') {
                int q = p + 1;
                if (at(q) == '+' || at(q) == '-') {
                    q++;
                }
                if (at(q) >= '0' && at(q) <= '9') {
                    while (at(q) >= '0' && at(q) <= '9') {
                        q++;
                    }
                    p = q;
                }
            }
        }
        pos = p;
    }

    private String string() throws Invalid {
        StringBuilder b = new StringBuilder();
        pos++;
        while (true) {
            int c = at(pos);
            if (c == -1) {
                throw new Invalid();
            }
            if (c == '"') {
                pos++;
                return b.toString();
            }
            if (c != '\\') {
                b.append((char) c);
                pos++;
                continue;
            }
            int e = at(pos + 1);
            switch (e) {
                case '"', '\\', '/' -> b.append((char) e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    pos += unicode(b);
                    continue;
                }
                default -> throw new Invalid();
            }
            pos += 2;
        }
    }

    private int hex4(int p) {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int c = at(p + i);
            int d = c >= '0' && c <= '9' ? c - '0'
                    : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }

    /** \\uXXXX (and a low surrogate after a high one) at pos, as UTF-8 bytes; chars consumed. */
    private int unicode(StringBuilder b) throws Invalid {
        int cp = hex4(pos + 2);
        if (cp < 0 || (cp >= 0xDC00 && cp <= 0xDFFF)) {
            throw new Invalid();
        }
        int used = 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (at(pos + 6) != '\\' || at(pos + 7) != 'u') {
                throw new Invalid();
            }
            int lo = hex4(pos + 8);
            if (lo < 0xDC00 || lo > 0xDFFF) {
                throw new Invalid();
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            used = 12;
        }
        if (cp < 0x80) {
            b.append((char) cp);
        } else if (cp < 0x800) {
            b.append((char) (0xC0 | (cp >> 6))).append((char) (0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            b.append((char) (0xE0 | (cp >> 12))).append((char) (0x80 | ((cp >> 6) & 0x3F)))
                    .append((char) (0x80 | (cp & 0x3F)));
        } else {
            b.append((char) (0xF0 | (cp >> 18))).append((char) (0x80 | ((cp >> 12) & 0x3F)))
                    .append((char) (0x80 | ((cp >> 6) & 0x3F))).append((char) (0x80 | (cp & 0x3F)));
        }
        return used;
    }

    /** What walk_json found: the counted leaves and whether the document went too deep. */
    record Walk(int count, boolean tooDeep) {}

    static final int WALK_MAX_DEPTH = 32;

    /**
     * walk_json of waf/handler.lua from depth 1: strings to {@code values}, object keys (sorted)
     * to {@code names}; stops at the first value nested over {@link #WALK_MAX_DEPTH}.
     */
    static Walk walk(Object v, int depth, List<String> names, List<String> values) {
        if (depth > WALK_MAX_DEPTH) {
            return new Walk(0, true);
        }
        if (v instanceof String str) {
            values.add(str);
            return new Walk(1, false);
        }
        int count = 0;
        if (v instanceof List<?> list) {
            for (Object item : list) {
                Walk w = walk(item, depth + 1, names, values);
                count += w.count();
                if (w.tooDeep()) {
                    return new Walk(count, true);
                }
            }
            return new Walk(count, false);
        }
        if (v instanceof Map<?, ?> map) {
            List<String> keys = new ArrayList<>(map.size());
            for (Object k : map.keySet()) {
                keys.add((String) k);
            }
            keys.sort(null);
            for (String k : keys) {
                names.add(k);
                Walk w = walk(map.get(k), depth + 1, names, values);
                count += w.count();
                if (w.tooDeep()) {
                    return new Walk(count, true);
                }
            }
            return new Walk(count, false);
        }
        return new Walk(1, false); // number, boolean, null
    }
}
