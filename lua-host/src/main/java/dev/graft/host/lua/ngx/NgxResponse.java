package dev.graft.host.lua.ngx;

import static dev.graft.host.lua.ngx.RequestScope.ANY_REQUEST;
import static dev.graft.host.lua.ngx.RequestScope.HEADER_FILTER;
import static dev.graft.host.lua.ngx.RequestScope.REQUEST;

import dev.graft.host.exchange.Exchange;
import dev.graft.host.lua.lib.LuaNull;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response side of {@code ngx}: {@code ngx.header}, {@code ngx.status},
 * {@code ngx.resp.get_headers}, output ({@code say}, {@code print}, {@code flush},
 * {@code eof}) and the way out of a phase ({@code exit}, {@code redirect}).
 *
 * <p>Output goes to {@link Exchange#output()}; the first output fixes the status (200 unless
 * {@code ngx.status} was set), after which status and header changes are refused with
 * OpenResty's error log line, as once nginx has sent the head.
 */
public final class NgxResponse {

    private static final Logger LOG = LoggerFactory.getLogger("graft.lua");
    private static final LuaValue ONE = LuaValue.valueOf(1);
    private static final byte[] NEWLINE = {'\n'};
    private static final byte[] NIL = {'n', 'i', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    /** Response headers nginx 1.22 holds one value of (headers_out fields that are not lists). */
    private static final java.util.Set<AsciiString> SINGLE_VALUED = java.util.Set.of(
            AsciiString.cached("server"), AsciiString.cached("date"), AsciiString.cached("content-length"),
            AsciiString.cached("content-encoding"), AsciiString.cached("location"), AsciiString.cached("refresh"),
            AsciiString.cached("last-modified"), AsciiString.cached("content-range"),
            AsciiString.cached("accept-ranges"), AsciiString.cached("www-authenticate"),
            AsciiString.cached("expires"), AsciiString.cached("etag"), AsciiString.cached("content-type"));

    private final RequestScope scope;
    private final LuaTable headersMeta;

    private NgxResponse(RequestScope scope) {
        this.scope = scope;
        this.headersMeta = NgxReq.headersMetatable();
    }

    /** Puts header, resp, say, print, flush, eof, exit and redirect into the ngx table. */
    static NgxResponse install(LuaTable ngx, RequestScope scope) {
        NgxResponse r = new NgxResponse(scope);
        LuaTable header = new LuaTable();
        LuaTable mt = new LuaTable();
        mt.rawset(LuaValue.INDEX, Fn.index("header", (t, k) -> r.getHeader(k)));
        mt.rawset(LuaValue.NEWINDEX, Fn.newindex("header", (t, k, v) -> r.setHeader(k, v)));
        header.setmetatable(mt);
        ngx.rawset("header", header);

        LuaTable resp = new LuaTable();
        resp.rawset("get_headers", Fn.of("get_headers", a -> {
            Exchange ex = scope.check(ANY_REQUEST);
            return NgxReq.headers(ex.responseHeaders(), a.optint(1, 100), a.arg(2).toboolean(), r.headersMeta,
                    scope.strings());
        }));
        ngx.rawset("resp", resp);

        ngx.rawset("say", Fn.of("say", a -> r.output(a, true, "say")));
        ngx.rawset("print", Fn.of("print", a -> r.output(a, false, "print")));
        ngx.rawset("flush", Fn.of("flush", a -> {
            scope.check(REQUEST);
            return ONE;
        }));
        ngx.rawset("eof", Fn.of("eof", a -> {
            scope.check(REQUEST);
            return ONE;
        }));
        ngx.rawset("exit", Fn.of("exit", r::exit));
        ngx.rawset("redirect", Fn.of("redirect", r::redirect));
        return r;
    }

    /** ngx.status. */
    LuaValue status() {
        Exchange ex = scope.ex();
        if (ex == null) {
            throw new LuaError("no request found");
        }
        return LuaValue.valueOf(ex.status());
    }

    void status(LuaValue v) {
        Exchange ex = scope.ex();
        if (ex == null) {
            throw new LuaError("no request found");
        }
        if (headSent(ex)) {
            LOG.error("[{}] attempt to set ngx.status after sending out response headers", ex.requestId());
            return;
        }
        int status = v.checkint();
        ex.status(status);
    }

    /** Whether the response head is out: sent by the proxy, or fixed by output in a request phase. */
    private boolean headSent(Exchange ex) {
        return ex.headersSent() || ((scope.phaseBit() & REQUEST) != 0 && ex.output().size() > 0);
    }

    private LuaValue getHeader(LuaValue key) {
        Exchange ex = scope.check(ANY_REQUEST);
        AsciiString name = headerName(key);
        List<String> all = ex.responseHeaders().getAll(name);
        if (all.isEmpty()) {
            return LuaValue.NIL;
        }
        if (all.size() == 1) {
            return LuaBytes.latin1(all.get(0));
        }
        LuaTable t = new LuaTable(all.size(), 0);
        for (int i = 0; i < all.size(); i++) {
            t.rawset(i + 1, LuaBytes.latin1(all.get(i)));
        }
        return t;
    }

    private void setHeader(LuaValue key, LuaValue value) {
        Exchange ex = scope.check(ANY_REQUEST);
        AsciiString name = headerName(key);
        if (headSent(ex)) {
            LOG.error("[{}] attempt to set ngx.header.HEADER after sending out response headers ({})",
                    ex.requestId(), key.tojstring());
            return;
        }
        HttpHeaders h = ex.responseHeaders();
        if (value.isnil()) {
            h.remove(name);
        } else if (value.istable()) {
            LuaTable list = (LuaTable) value;
            h.remove(name);
            int n = list.length();
            if (n > 0 && SINGLE_VALUED.contains(name.toLowerCase())) {
                // nginx keeps one value of these: setting a list leaves the last
                set(h, name, LuaBytes.latin1(LuaBytes.checkString(list.rawget(n), 3, "header")));
                return;
            }
            for (int i = 1; i <= n; i++) {
                String v = LuaBytes.latin1(LuaBytes.checkString(list.rawget(i), 3, "header"));
                if (!v.isEmpty()) {
                    h.add(name, v);
                }
            }
        } else if (value.isstring()) {
            set(h, name, LuaBytes.latin1(LuaBytes.text(value)));
        } else if (value.isboolean()) {
            h.set(name, value.toboolean() ? "true" : "false");
        } else {
            throw new LuaError("bad argument #3 to 'header' (string, number, boolean, nil or table expected, got "
                    + value.typename() + ")");
        }
    }

    /** An empty value removes the header, as lua-nginx-module does. */
    private static void set(HttpHeaders h, CharSequence name, String value) {
        if (value.isEmpty()) {
            h.remove(name);
        } else {
            h.set(name, value);
        }
    }

    /** A response header name from an ngx.header key: '_' becomes '-', as OpenResty does. */
    private static AsciiString headerName(LuaValue key) {
        if (!key.isstring()) {
            throw new LuaError("bad argument #2 to 'header' (string expected, got " + key.typename() + ")");
        }
        LuaString s = key.checkstring();
        byte[] b = LuaBytes.bytes(s);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '_') {
                b[i] = '-';
            }
        }
        return new AsciiString(b, false);
    }

    private Varargs output(Varargs a, boolean newline, String fn) {
        Exchange ex = scope.check(REQUEST);
        ByteArrayOutputStream out = ex.output();
        if (ex.status() == 0) {
            ex.status(200);
        }
        defaultContentType(ex);
        int n = a.narg();
        for (int i = 1; i <= n; i++) {
            write(out, a.arg(i), i, fn, 0);
        }
        if (newline) {
            out.write(NEWLINE, 0, 1);
        }
        return ONE;
    }

    /**
     * nginx gives a response that Lua starts without a Content-Type its {@code default_type}
     * (text/plain without a mime config) when it sends the head, before header_filter runs.
     */
    public static void defaultContentType(Exchange ex) {
        if (!ex.responseHeaders().contains(HttpHeaderNames.CONTENT_TYPE)) {
            ex.responseHeaders().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
        }
    }

    private static void write(ByteArrayOutputStream out, LuaValue v, int arg, String fn, int depth) {
        switch (v.type()) {
            case LuaValue.TSTRING -> {
                LuaString s = v.checkstring();
                out.write(s.m_bytes, s.m_offset, s.m_length);
            }
            case LuaValue.TNUMBER -> {
                LuaString s = LuaBytes.number(v);
                out.write(s.m_bytes, s.m_offset, s.m_length);
            }
            case LuaValue.TNIL -> out.write(NIL, 0, NIL.length);
            case LuaValue.TBOOLEAN -> {
                byte[] b = v.toboolean() ? TRUE : FALSE;
                out.write(b, 0, b.length);
            }
            case LuaValue.TTABLE -> {
                if (depth > 100) {
                    throw new LuaError("bad argument #" + arg + " to '" + fn + "' (nested table too deep)");
                }
                // as OpenResty: every key a positive integer; holes up to the largest print as nil
                LuaTable t = (LuaTable) v;
                int max = 0;
                LuaValue k = LuaValue.NIL;
                while (true) {
                    Varargs n = t.next(k);
                    k = n.arg1();
                    if (k.isnil()) {
                        break;
                    }
                    if (!k.isinttype() || k.toint() < 1) {
                        throw new LuaError("bad argument #" + arg + " to '" + fn + "' (non-array table found)");
                    }
                    max = Math.max(max, k.toint());
                }
                for (int i = 1; i <= max; i++) {
                    write(out, t.rawget(i), arg, fn, depth + 1);
                }
            }
            case LuaValue.TUSERDATA, LuaValue.TLIGHTUSERDATA -> {
                if (v != LuaNull.NULL) {
                    throw badOutput(arg, fn, v);
                }
                out.write(NULL, 0, NULL.length);
            }
            default -> throw badOutput(arg, fn, v);
        }
    }

    private static LuaError badOutput(int arg, String fn, LuaValue v) {
        return new LuaError("bad argument #" + arg + " to '" + fn
                + "' (string, number, boolean, nil, ngx.null, or array table expected, but got " + v.typename() + ")");
    }

    private Varargs exit(Varargs a) {
        Exchange ex = scope.check(REQUEST | HEADER_FILTER);
        if (!a.arg1().isnumber()) {
            throw new LuaError("bad argument #1 to 'exit' (number expected, got " + a.arg1().typename() + ")");
        }
        int status = a.arg1().toint();
        if (scope.phaseBit() == HEADER_FILTER) {
            // OpenResty records the status and lets the filter return normally there
            scope.exitLater(status);
            return LuaValue.NONE;
        }
        if (status >= 200 && !headSent(ex) && ex.output().size() == 0) {
            ex.status(status);
        }
        throw scope.exit(status);
    }

    private Varargs redirect(Varargs a) {
        Exchange ex = scope.check(REQUEST);
        LuaString uri = LuaBytes.checkString(a.arg1(), 1, "redirect");
        int status = a.optint(2, 302);
        if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
            throw new LuaError("only ngx.HTTP_MOVED_TEMPORARILY, ngx.HTTP_MOVED_PERMANENTLY, "
                    + "ngx.HTTP_PERMANENT_REDIRECT, ngx.HTTP_SEE_OTHER, and ngx.HTTP_TEMPORARY_REDIRECT are allowed");
        }
        if (headSent(ex)) {
            throw new LuaError("attempt to call ngx.redirect after sending out the headers");
        }
        ex.responseHeaders().set(HttpHeaderNames.LOCATION, LuaBytes.latin1(uri));
        ex.status(status);
        throw scope.exit(status);
    }
}
