package dev.graft.host.lua.ngx;

import static dev.graft.host.lua.ngx.RequestScope.ANY_REQUEST;
import static dev.graft.host.lua.ngx.RequestScope.BODY_FILTER;
import static dev.graft.host.lua.ngx.RequestScope.HEADER_FILTER;
import static dev.graft.host.lua.ngx.RequestScope.LOG;
import static dev.graft.host.lua.ngx.RequestScope.REQUEST;
import static dev.graft.host.lua.ngx.RequestScope.REWRITE;

import dev.graft.host.exchange.Exchange;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code ngx.req}: the request, read and changed in place on the exchange.
 *
 * <table>
 *   <caption>functions</caption>
 *   <tr><td>get_method, set_method(ngx.HTTP_*)</td><td>the method</td></tr>
 *   <tr><td>get_uri_args([max]), set_uri_args(str|table)</td><td>query args: lists for repeats, true for a bare key, max 100</td></tr>
 *   <tr><td>set_uri(uri [, jump])</td><td>the path; jump (rewrite only) restarts rewrite with it</td></tr>
 *   <tr><td>get_headers([max [, raw]]), set_header, clear_header</td><td>request headers, lower-case keys, max 100</td></tr>
 *   <tr><td>read_body, discard_body, get_body_data, get_post_args, set_body_data, get_body_file</td><td>the buffered body</td></tr>
 *   <tr><td>http_version, start_time, is_internal</td><td>request facts</td></tr>
 * </table>
 * The body is there when the host buffered it (a pipeline stage with {@code reads_body});
 * otherwise {@code read_body} cannot wait for it on the event loop and the body reads as nil.
 */
final class NgxReq {

    private static final LuaString GET = LuaString.valueOf("GET");
    private static final LuaString POST = LuaString.valueOf("POST");
    private static final LuaString HEAD = LuaString.valueOf("HEAD");
    private static final LuaString PUT = LuaString.valueOf("PUT");
    private static final LuaString DELETE = LuaString.valueOf("DELETE");
    private static final LuaString OPTIONS = LuaString.valueOf("OPTIONS");
    private static final LuaValue V10 = LuaValue.valueOf(1.0);
    private static final LuaValue V11 = LuaValue.valueOf(1.1);
    private static final LuaValue V20 = LuaValue.valueOf(2.0);
    private static final LuaValue V09 = LuaValue.valueOf(0.9);
    private static final int DEFAULT_MAX = 100;

    private final RequestScope scope;
    /** Set on get_headers results: looks a key up as OpenResty does (lower case, '_' for '-'). */
    private final LuaTable headersMeta;

    private NgxReq(RequestScope scope) {
        this.scope = scope;
        this.headersMeta = headersMetatable();
    }

    /** The Lua string of a method name, without allocation for the common ones. */
    static LuaString method(String m) {
        return switch (m) {
            case "GET" -> GET;
            case "POST" -> POST;
            case "HEAD" -> HEAD;
            case "PUT" -> PUT;
            case "DELETE" -> DELETE;
            case "OPTIONS" -> OPTIONS;
            default -> LuaBytes.latin1(m);
        };
    }

    static LuaTable create(RequestScope scope) {
        NgxReq r = new NgxReq(scope);
        LuaTable req = new LuaTable();
        req.rawset("get_method", Fn.of("get_method", a -> method(scope.check(ANY_REQUEST).method())));
        req.rawset("set_method", Fn.of("set_method", r::setMethod));
        req.rawset("get_uri_args", Fn.of("get_uri_args", r::getUriArgs));
        req.rawset("set_uri_args", Fn.of("set_uri_args", r::setUriArgs));
        req.rawset("set_uri", Fn.of("set_uri", r::setUri));
        req.rawset("get_headers", Fn.of("get_headers", a -> {
            Exchange ex = scope.check(ANY_REQUEST);
            return headers(ex.requestHeaders(), a.optint(1, DEFAULT_MAX), a.arg(2).toboolean(), r.headersMeta,
                    scope.strings());
        }));
        req.rawset("set_header", Fn.of("set_header", r::setHeader));
        req.rawset("clear_header", Fn.of("clear_header", a -> r.setHeader(LuaValue.varargsOf(a.arg1(), LuaValue.NIL))));
        req.rawset("read_body", Fn.of("read_body", a -> {
            scope.check(REQUEST);
            return LuaValue.NONE;
        }));
        req.rawset("discard_body", Fn.of("discard_body", a -> {
            scope.check(REQUEST);
            return LuaValue.NONE;
        }));
        req.rawset("get_body_data", Fn.of("get_body_data", a -> {
            Exchange ex = scope.check(REQUEST | LOG);
            return ex.body().filter(b -> b.length > 0).<LuaValue>map(LuaString::valueUsing).orElse(LuaValue.NIL);
        }));
        req.rawset("get_body_file", Fn.of("get_body_file", a -> {
            scope.check(REQUEST);
            return LuaValue.NIL;
        }));
        req.rawset("get_post_args", Fn.of("get_post_args", a -> {
            Exchange ex = scope.check(ANY_REQUEST);
            if (!ex.bodyBuffered()) {
                throw new LuaError("no request body found; maybe you should turn on lua_need_request_body?");
            }
            byte[] body = ex.body().orElse(new byte[0]);
            return ArgsCodec.parse(body, 0, body.length, a.optint(1, DEFAULT_MAX));
        }));
        req.rawset("set_body_data", Fn.of("set_body_data", a -> {
            Exchange ex = scope.check(REQUEST);
            LuaString data = LuaBytes.checkString(a.arg1(), 1, "set_body_data");
            ex.body(LuaBytes.bytes(data));
            ex.requestHeaders().set(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(data.m_length));
            ex.requestHeaders().remove(HttpHeaderNames.TRANSFER_ENCODING);
            return LuaValue.NONE;
        }));
        req.rawset("http_version", Fn.of("http_version", a -> {
            Exchange ex = scope.check(ANY_REQUEST);
            int major = ex.version().majorVersion();
            int minor = ex.version().minorVersion();
            return major == 2 ? V20 : major == 1 ? (minor == 0 ? V10 : V11) : major == 0 ? V09
                    : LuaValue.valueOf(major + minor / 10.0);
        }));
        req.rawset("start_time", Fn.of("start_time", a ->
                LuaValue.valueOf(scope.check(ANY_REQUEST).startEpochMillis() / 1000.0)));
        req.rawset("is_internal", Fn.of("is_internal", a -> {
            scope.check(ANY_REQUEST);
            return LuaValue.FALSE;
        }));
        return req;
    }

    private Varargs setMethod(Varargs a) {
        Exchange ex = scope.check(REQUEST | HEADER_FILTER | BODY_FILTER);
        int code = a.checkint(1);
        String name = NgxConstants.methodName(code);
        if (name == null) {
            throw new LuaError("unsupported HTTP method: " + code);
        }
        ex.method(name);
        return LuaValue.NONE;
    }

    private Varargs getUriArgs(Varargs a) {
        Exchange ex = scope.check(ANY_REQUEST);
        String args = ex.args().orElse(null);
        int max = a.optint(1, DEFAULT_MAX);
        if (args == null) {
            return new LuaTable();
        }
        byte[] b = args.getBytes(StandardCharsets.ISO_8859_1);
        return ArgsCodec.parse(b, 0, b.length, max);
    }

    private Varargs setUriArgs(Varargs a) {
        Exchange ex = scope.check(REQUEST | HEADER_FILTER | BODY_FILTER);
        LuaValue v = a.arg1();
        if (v.istable()) {
            ex.args(ArgsCodec.encode((LuaTable) v, "set_uri_args"));
        } else if (v.isstring()) {
            ex.args(LuaBytes.latin1(v.checkstring()));
        } else {
            throw new LuaError("bad argument #1 to 'set_uri_args' (string or table expected, got "
                    + v.typename() + ")");
        }
        return LuaValue.NONE;
    }

    private Varargs setUri(Varargs a) {
        Exchange ex = scope.check(REQUEST | HEADER_FILTER | BODY_FILTER);
        LuaString uri = LuaBytes.checkString(a.arg1(), 1, "set_uri");
        if (uri.m_length == 0) {
            throw new LuaError("attempt to use zero-length uri");
        }
        boolean jump = a.arg(2).toboolean();
        if (jump) {
            scope.check(REWRITE);
        }
        ex.uri(LuaBytes.latin1(uri));
        if (jump) {
            throw scope.jump();
        }
        return LuaValue.NONE;
    }

    private Varargs setHeader(Varargs a) {
        Exchange ex = scope.check(REQUEST | HEADER_FILTER | BODY_FILTER);
        LuaString name = LuaBytes.checkString(a.arg1(), 1, "set_header");
        String headerName = LuaBytes.latin1(name);
        LuaValue value = a.arg(2);
        HttpHeaders h = ex.requestHeaders();
        if (value.isnil()) {
            h.remove(headerName);
        } else if (value.istable()) {
            LuaTable list = (LuaTable) value;
            h.remove(headerName);
            int n = list.length();
            for (int i = 1; i <= n; i++) {
                String v = LuaBytes.latin1(LuaBytes.checkString(list.rawget(i), 2, "set_header"));
                if (!v.isEmpty()) {
                    h.add(headerName, v);
                }
            }
        } else {
            String v = LuaBytes.latin1(LuaBytes.checkString(value, 2, "set_header"));
            // an empty value removes the header, as lua-nginx-module does
            if (v.isEmpty()) {
                h.remove(headerName);
            } else {
                h.set(headerName, v);
            }
        }
        return LuaValue.NONE;
    }

    /**
     * A headers table as OpenResty builds it: lower-case names unless raw, a list for a repeated
     * name, at most {@code max} entries (0: no limit) with "truncated" as second result past it.
     * The strings come from the VM's memo: a header read by an earlier call is not converted again.
     */
    static Varargs headers(HttpHeaders h, int max, boolean raw, LuaTable meta, LuaStrings strings) {
        LuaTable t = new LuaTable(0, Math.min(h.size(), 32));
        int count = 0;
        Iterator<Map.Entry<CharSequence, CharSequence>> it = h.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            if (max > 0 && count >= max) {
                return LuaValue.varargsOf(t, LuaValue.valueOf("truncated"));
            }
            CharSequence n = e.getKey();
            LuaString key = raw ? strings.latin1(n) : strings.lowerName(n);
            LuaString value = strings.latin1(e.getValue());
            LuaValue old = t.rawget(key);
            if (old.isnil()) {
                t.rawset(key, value);
            } else if (old.istable()) {
                LuaTable list = (LuaTable) old;
                list.rawset(list.length() + 1, value);
            } else {
                LuaTable list = new LuaTable(4, 0);
                list.rawset(1, old);
                list.rawset(2, value);
                t.rawset(key, list);
            }
            count++;
        }
        if (!raw) {
            t.setmetatable(meta);
        }
        return t;
    }

    static LuaTable headersMetatable() {
        LuaTable mt = new LuaTable();
        mt.rawset(LuaValue.INDEX, Fn.index("get_headers", (t, k) -> {
            if (!k.isstring()) {
                return LuaValue.NIL;
            }
            byte[] b = LuaBytes.bytes(k.checkstring());
            boolean changed = false;
            for (int i = 0; i < b.length; i++) {
                byte c = b[i];
                if (c >= 'A' && c <= 'Z') {
                    b[i] = (byte) (c + 32);
                    changed = true;
                } else if (c == '_') {
                    b[i] = '-';
                    changed = true;
                }
            }
            return changed ? t.rawget(LuaString.valueUsing(b)) : LuaValue.NIL;
        }));
        return mt;
    }
}
