package dev.graft.host.lua.ngx;

import static dev.graft.host.lua.ngx.RequestScope.ANY_REQUEST;

import dev.graft.host.exchange.Exchange;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * {@code ngx.var}: nginx variables as a view over the exchange. Built-in variables are
 * computed on read from the exchange; any other name is a custom variable kept in
 * {@link Exchange#variables()}, nil until set (Graft has no nginx.conf to declare them).
 *
 * <table>
 *   <caption>variables</caption>
 *   <tr><td>uri, document_uri</td><td>the current path (read-only: writing fails like nginx)</td></tr>
 *   <tr><td>request_uri</td><td>the request target as sent</td></tr>
 *   <tr><td>args, query_string, is_args</td><td>the query string ({@code args} is writable)</td></tr>
 *   <tr><td>arg_NAME, http_NAME, cookie_NAME</td><td>first query arg (raw), request header ('_' for '-'; Cookie and
 *       X-Forwarded-For joined), cookie</td></tr>
 *   <tr><td>host, scheme, https, server_protocol, request_method</td><td>request facts</td></tr>
 *   <tr><td>remote_addr, remote_port, binary_remote_addr, server_addr, server_port</td><td>connection facts</td></tr>
 *   <tr><td>request_id, request_time, msec, status, content_type, content_length, request_body</td><td>the rest</td></tr>
 *   <tr><td>graft_upstream</td><td>the chosen upstream (writable), initially the config's default</td></tr>
 *   <tr><td>graft_content</td><td>writable, "" until set: non-empty makes the proxy answer from the content phase</td></tr>
 * </table>
 * Names are case-insensitive, as in nginx. Per read: one map lookup and the value's bytes.
 */
final class NgxVar {

    private enum Builtin {
        URI, DOCUMENT_URI, REQUEST_URI, ARGS, QUERY_STRING, IS_ARGS, HOST, SCHEME, HTTPS,
        SERVER_PROTOCOL, REQUEST_METHOD, REMOTE_ADDR, REMOTE_PORT, BINARY_REMOTE_ADDR,
        SERVER_ADDR, SERVER_PORT, REQUEST_ID, REQUEST_TIME, MSEC, STATUS, CONTENT_TYPE,
        CONTENT_LENGTH, REQUEST_BODY, GRAFT_UPSTREAM, GRAFT_CONTENT
    }

    private static final Map<LuaString, Builtin> BUILTINS;

    static {
        Map<LuaString, Builtin> m = new HashMap<>();
        for (Builtin b : Builtin.values()) {
            m.put(LuaString.valueOf(b.name().toLowerCase(java.util.Locale.ROOT)), b);
        }
        BUILTINS = Map.copyOf(m);
    }

    private static final LuaString ARG_ = LuaString.valueOf("arg_");
    private static final LuaString HTTP_ = LuaString.valueOf("http_");
    private static final LuaString COOKIE_ = LuaString.valueOf("cookie_");
    private static final LuaString EMPTY = LuaString.valueOf("");
    private static final LuaString QUESTION = LuaString.valueOf("?");
    private static final LuaString HTTP = LuaString.valueOf("http");
    private static final LuaString HTTPS = LuaString.valueOf("https");
    private static final LuaString ON = LuaString.valueOf("on");
    private static final LuaString COOKIE = LuaString.valueOf("cookie");
    private static final LuaString X_FORWARDED_FOR = LuaString.valueOf("x_forwarded_for");
    private static final int MAX_HEADER_NAMES = 512;

    private final RequestScope scope;
    private final String defaultUpstream;
    /** http_NAME suffix -> header name; bounded, one per VM, so no per-read name building. */
    private final Map<LuaString, AsciiString> headerNames = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<LuaString, AsciiString> e) {
            return size() > MAX_HEADER_NAMES;
        }
    };

    private NgxVar(RequestScope scope, String defaultUpstream) {
        this.scope = scope;
        this.defaultUpstream = defaultUpstream;
    }

    static LuaTable create(RequestScope scope, String defaultUpstream) {
        NgxVar v = new NgxVar(scope, defaultUpstream);
        LuaTable var = new LuaTable();
        LuaTable mt = new LuaTable();
        mt.rawset(LuaValue.INDEX, Fn.index("var", (t, k) -> v.get(k)));
        mt.rawset(LuaValue.NEWINDEX, Fn.newindex("var", (t, k, value) -> v.set(k, value)));
        var.setmetatable(mt);
        return var;
    }

    private LuaValue get(LuaValue key) {
        Exchange ex = scope.check(ANY_REQUEST);
        if (!key.isstring()) {
            throw new LuaError("bad variable name");
        }
        LuaString name = key.checkstring();
        Builtin b = BUILTINS.get(name);
        if (b == null) {
            name = LuaBytes.lower(name);
            b = BUILTINS.get(name);
        }
        if (b != null) {
            return builtin(ex, b);
        }
        if (LuaBytes.startsWith(name, HTTP_)) {
            return header(ex, name.substring(HTTP_.m_length, name.m_length));
        }
        if (LuaBytes.startsWith(name, ARG_)) {
            return arg(ex, name.substring(ARG_.m_length, name.m_length));
        }
        if (LuaBytes.startsWith(name, COOKIE_)) {
            return cookie(ex, name.substring(COOKIE_.m_length, name.m_length));
        }
        String value = ex.variables().get(LuaBytes.latin1(name));
        return value == null ? LuaValue.NIL : LuaBytes.latin1(value);
    }

    private LuaValue builtin(Exchange ex, Builtin b) {
        return switch (b) {
            case URI, DOCUMENT_URI -> LuaBytes.latin1(ex.uri());
            case REQUEST_URI -> LuaBytes.latin1(ex.requestUri());
            case ARGS, QUERY_STRING -> ex.args().<LuaValue>map(LuaBytes::latin1).orElse(LuaValue.NIL);
            case IS_ARGS -> ex.args().isPresent() ? QUESTION : EMPTY;
            case HOST -> host(ex);
            case SCHEME -> "https".equals(ex.scheme()) ? HTTPS : "http".equals(ex.scheme()) ? HTTP
                    : LuaBytes.latin1(ex.scheme());
            case HTTPS -> "https".equals(ex.scheme()) ? ON : EMPTY;
            case SERVER_PROTOCOL -> LuaBytes.latin1(ex.version().text());
            case REQUEST_METHOD -> NgxReq.method(ex.method());
            case REMOTE_ADDR -> LuaBytes.latin1(NginxVariables.ip(ex.remote()));
            case REMOTE_PORT -> LuaValue.valueOf(Integer.toString(ex.remote().getPort()));
            case BINARY_REMOTE_ADDR -> binaryAddress(ex.remote());
            case SERVER_ADDR -> LuaBytes.latin1(NginxVariables.ip(ex.local()));
            case SERVER_PORT -> LuaValue.valueOf(Integer.toString(ex.local().getPort()));
            case REQUEST_ID -> LuaBytes.latin1(ex.requestId());
            case REQUEST_TIME -> LuaValue.valueOf(NginxVariables.seconds((System.nanoTime() - ex.startNanos()) / 1_000_000));
            case MSEC -> LuaValue.valueOf(NginxVariables.seconds(System.currentTimeMillis()));
            case STATUS -> LuaValue.valueOf(status(ex.status()));
            case CONTENT_TYPE -> headerValue(ex.requestHeaders(), HttpHeaderNames.CONTENT_TYPE);
            case CONTENT_LENGTH -> headerValue(ex.requestHeaders(), HttpHeaderNames.CONTENT_LENGTH);
            case REQUEST_BODY -> ex.body().filter(x -> x.length > 0)
                    .<LuaValue>map(LuaString::valueUsing).orElse(LuaValue.NIL);
            case GRAFT_CONTENT -> {
                String v = ex.variables().get("graft_content");
                yield v == null ? EMPTY : LuaBytes.latin1(v);
            }
            case GRAFT_UPSTREAM -> ex.upstream().or(() -> java.util.Optional.of(defaultUpstream))
                    .filter(s -> !s.isEmpty()).<LuaValue>map(LuaBytes::latin1).orElse(LuaValue.NIL);
        };
    }

    private void set(LuaValue key, LuaValue value) {
        Exchange ex = scope.check(ANY_REQUEST);
        if (!key.isstring()) {
            throw new LuaError("bad variable name");
        }
        LuaString name = LuaBytes.lower(key.checkstring());
        String text;
        if (value.isnil()) {
            text = null;
        } else if (value.isstring()) {
            text = LuaBytes.latin1(LuaBytes.text(value));
        } else {
            throw new LuaError("bad variable value");
        }
        Builtin b = BUILTINS.get(name);
        if (b == Builtin.ARGS) {
            ex.args(text);
            return;
        }
        if (b == Builtin.GRAFT_UPSTREAM) {
            ex.upstream(text);
            return;
        }
        if (b == Builtin.GRAFT_CONTENT) {
            if (text == null) {
                ex.variables().remove("graft_content");
            } else {
                ex.variables().put("graft_content", text);
            }
            return;
        }
        if (b != null || LuaBytes.startsWith(name, HTTP_) || LuaBytes.startsWith(name, ARG_)
                || LuaBytes.startsWith(name, COOKIE_)) {
            throw new LuaError("variable \"" + name.tojstring() + "\" not changeable");
        }
        if (text == null) {
            ex.variables().remove(LuaBytes.latin1(name));
        } else {
            ex.variables().put(LuaBytes.latin1(name), text);
        }
    }

    private LuaValue header(Exchange ex, LuaString suffix) {
        AsciiString headerName = headerNames.get(suffix);
        if (headerName == null) {
            byte[] b = LuaBytes.bytes(suffix);
            for (int i = 0; i < b.length; i++) {
                if (b[i] == '_') {
                    b[i] = '-';
                }
            }
            headerName = new AsciiString(b, false);
            headerNames.put(suffix, headerName);
        }
        HttpHeaders h = ex.requestHeaders();
        // nginx joins these two when they repeat; every other header reads as its first value
        if (suffix.raweq(COOKIE) || suffix.raweq(X_FORWARDED_FOR)) {
            List<String> all = h.getAll(headerName);
            if (all.size() > 1) {
                return LuaBytes.latin1(String.join(suffix.raweq(COOKIE) ? "; " : ", ", all));
            }
        }
        return headerValue(h, headerName);
    }

    private static LuaValue headerValue(HttpHeaders h, CharSequence name) {
        String v = h.get(name);
        return v == null ? LuaValue.NIL : LuaBytes.latin1(v);
    }

    /** nginx's $arg_NAME (see {@link NginxVariables#arg}). */
    private static LuaValue arg(Exchange ex, LuaString name) {
        return NginxVariables.arg(ex, LuaBytes.latin1(name)).<LuaValue>map(LuaBytes::latin1).orElse(LuaValue.NIL);
    }

    /** nginx's $cookie_NAME (see {@link NginxVariables#cookie}). */
    private static LuaValue cookie(Exchange ex, LuaString name) {
        return NginxVariables.cookie(ex, LuaBytes.latin1(name)).<LuaValue>map(LuaBytes::latin1).orElse(LuaValue.NIL);
    }

    /** nginx's $host (see {@link NgxHost}). */
    private static LuaValue host(Exchange ex) {
        return LuaBytes.latin1(NginxVariables.host(ex));
    }

    private static LuaValue binaryAddress(InetSocketAddress a) {
        InetAddress addr = a.getAddress();
        return addr == null ? LuaValue.NIL : LuaString.valueUsing(addr.getAddress());
    }

    private static String status(int status) {
        return status < 10 ? "00" + status : status < 100 ? "0" + status : Integer.toString(status);
    }
}
