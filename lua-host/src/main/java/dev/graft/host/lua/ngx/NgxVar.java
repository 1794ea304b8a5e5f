package dev.graft.host.lua.ngx;

import static dev.graft.host.lua.ngx.RequestScope.ANY_REQUEST;

import dev.graft.host.exchange.Exchange;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
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
 * Names are case-insensitive, as in nginx.
 *
 * <p>A read is on the hot path of every legacy stage ({@code ngx.var.http_user_agent}), so it
 * is kept cheap:
 * <ul>
 *   <li>{@code ngx.var} is a table whose {@code get}/{@code set} go to this class directly, not
 *       through a metamethod lookup and call (the metatable stays, for {@code getmetatable} and
 *       {@code rawget}, and a script that replaces it gets the usual lookup);</li>
 *   <li>a name is resolved once per VM to what it reads ({@link Resolved}: a built-in, a header
 *       with its Netty name, an arg, a cookie or a custom variable), by the Lua string itself;</li>
 *   <li>each resolved name remembers the Java string it last converted and the Lua string it
 *       made: a read of an unchanged value (the same {@code String} instance, so the same
 *       text) returns that Lua string without a copy. A changed header, URI or variable is a
 *       different instance, so it is converted afresh.</li>
 * </ul>
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
    /** Resolved names kept per VM; past it the map starts over (names are mostly constants). */
    private static final int MAX_NAMES = 512;

    /** What a variable name reads. */
    private enum Kind { BUILTIN, HEADER, ARG, COOKIE, CUSTOM }

    /**
     * A variable name resolved once: what it reads, plus the last value converted for it
     * ({@code source}, the Java object it came from, and {@code value}, the Lua string made
     * from it), reused while the exchange hands out the same instance.
     */
    private static final class Resolved {
        final Kind kind;
        final Builtin builtin;
        /** The header's name in Netty's form ('-' for '_'); null unless HEADER. */
        final AsciiString header;
        /** For Cookie and X-Forwarded-For: the separator nginx joins repeats with; else null. */
        final String joinedWith;
        /** The name of an ARG, COOKIE or CUSTOM variable (one char per byte). */
        final String name;
        String source;
        LuaValue value = LuaValue.NIL;
        /** A value computed from an object (an address, a query string, a Host header) and that object. */
        Object derivedFrom;
        LuaValue derived = LuaValue.NIL;

        Resolved(Kind kind, Builtin builtin, AsciiString header, String joinedWith, String name) {
            this.kind = kind;
            this.builtin = builtin;
            this.header = header;
            this.joinedWith = joinedWith;
            this.name = name;
        }

        /** The Lua string of {@code text} (nil for null), converted only when it is another instance. */
        LuaValue latin1(String text) {
            if (text != source) {
                source = text;
                value = text == null ? LuaValue.NIL : LuaBytes.latin1(text);
            }
            return value;
        }
    }

    private final RequestScope scope;
    private final String defaultUpstream;
    private final Map<LuaString, Resolved> resolved = new HashMap<>(64);
    /** The last name read and what it resolved to: a loop reading one variable skips the map. */
    private LuaString lastName;
    private Resolved lastResolved;

    private NgxVar(RequestScope scope, String defaultUpstream) {
        this.scope = scope;
        this.defaultUpstream = defaultUpstream;
    }

    static LuaTable create(RequestScope scope, String defaultUpstream) {
        NgxVar v = new NgxVar(scope, defaultUpstream);
        LuaTable mt = new LuaTable();
        mt.rawset(LuaValue.INDEX, Fn.index("var", (t, k) -> v.get(k)));
        mt.rawset(LuaValue.NEWINDEX, Fn.newindex("var", (t, k, value) -> v.set(k, value)));
        return new VarTable(v, mt);
    }

    /**
     * The {@code ngx.var} table: empty, with the metatable above; reads and writes of absent
     * keys go straight to the {@link NgxVar} while that metatable is in place, which is what
     * the metatable would do, without looking it up and calling through it.
     */
    private static final class VarTable extends LuaTable {
        private final NgxVar var;
        private final LuaTable meta;

        VarTable(NgxVar var, LuaTable meta) {
            this.var = var;
            this.meta = meta;
            setmetatable(meta);
        }

        @Override
        public LuaValue get(LuaValue key) {
            if (m_metatable == meta) {
                LuaValue raw = rawget(key);
                return raw.isnil() ? var.get(key) : raw;
            }
            return super.get(key);
        }

        @Override
        public void set(LuaValue key, LuaValue value) {
            if (m_metatable == meta && rawget(key).isnil()) {
                var.set(key, value);
                return;
            }
            super.set(key, value);
        }
    }

    private LuaValue get(LuaValue key) {
        Exchange ex = scope.check(ANY_REQUEST);
        if (!key.isstring()) {
            throw new LuaError("bad variable name");
        }
        Resolved r = resolve(key.checkstring());
        return switch (r.kind) {
            case BUILTIN -> builtin(ex, r);
            case HEADER -> header(ex, r);
            case ARG -> arg(ex, r);
            case COOKIE -> NginxVariables.cookie(ex, r.name).<LuaValue>map(LuaBytes::latin1).orElse(LuaValue.NIL);
            case CUSTOM -> r.latin1(ex.variables().get(r.name));
        };
    }

    private Resolved resolve(LuaString name) {
        if (name == lastName) {
            return lastResolved;
        }
        Resolved r = resolved.get(name);
        if (r == null) {
            r = resolveNew(name);
            if (resolved.size() >= MAX_NAMES) {
                resolved.clear();
            }
            resolved.put(name, r);
        }
        lastName = name;
        lastResolved = r;
        return r;
    }

    private static Resolved resolveNew(LuaString name) {
        Builtin b = BUILTINS.get(name);
        if (b == null) {
            name = LuaBytes.lower(name);
            b = BUILTINS.get(name);
        }
        if (b != null) {
            return new Resolved(Kind.BUILTIN, b, null, null, null);
        }
        if (LuaBytes.startsWith(name, HTTP_)) {
            LuaString suffix = name.substring(HTTP_.m_length, name.m_length);
            byte[] h = LuaBytes.bytes(suffix);
            for (int i = 0; i < h.length; i++) {
                if (h[i] == '_') {
                    h[i] = '-';
                }
            }
            // nginx joins these two when they repeat; every other header reads as its first value
            String joinedWith = suffix.raweq(COOKIE) ? "; " : suffix.raweq(X_FORWARDED_FOR) ? ", " : null;
            return new Resolved(Kind.HEADER, null, new AsciiString(h, false), joinedWith, null);
        }
        if (LuaBytes.startsWith(name, ARG_)) {
            return new Resolved(Kind.ARG, null, null, null,
                    LuaBytes.latin1(name.substring(ARG_.m_length, name.m_length)));
        }
        if (LuaBytes.startsWith(name, COOKIE_)) {
            return new Resolved(Kind.COOKIE, null, null, null,
                    LuaBytes.latin1(name.substring(COOKIE_.m_length, name.m_length)));
        }
        return new Resolved(Kind.CUSTOM, null, null, null, LuaBytes.latin1(name));
    }

    private LuaValue builtin(Exchange ex, Resolved r) {
        return switch (r.builtin) {
            case URI, DOCUMENT_URI -> r.latin1(ex.uri());
            case REQUEST_URI -> r.latin1(ex.requestUri());
            case ARGS, QUERY_STRING -> r.latin1(ex.args().orElse(null));
            case IS_ARGS -> ex.args().isPresent() ? QUESTION : EMPTY;
            case HOST -> host(ex, r);
            case SCHEME -> "https".equals(ex.scheme()) ? HTTPS : "http".equals(ex.scheme()) ? HTTP
                    : r.latin1(ex.scheme());
            case HTTPS -> "https".equals(ex.scheme()) ? ON : EMPTY;
            case SERVER_PROTOCOL -> r.latin1(ex.version().text());
            case REQUEST_METHOD -> NgxReq.method(ex.method());
            case REMOTE_ADDR -> address(r, ex.remote());
            case REMOTE_PORT -> port(r, ex.remote());
            case BINARY_REMOTE_ADDR -> binaryAddress(ex.remote());
            case SERVER_ADDR -> address(r, ex.local());
            case SERVER_PORT -> port(r, ex.local());
            case REQUEST_ID -> r.latin1(ex.requestId());
            case REQUEST_TIME -> LuaValue.valueOf(NginxVariables.seconds((System.nanoTime() - ex.startNanos()) / 1_000_000));
            case MSEC -> LuaValue.valueOf(NginxVariables.seconds(System.currentTimeMillis()));
            case STATUS -> LuaValue.valueOf(status(ex.status()));
            case CONTENT_TYPE -> r.latin1(ex.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE));
            case CONTENT_LENGTH -> r.latin1(ex.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH));
            case REQUEST_BODY -> ex.body().filter(x -> x.length > 0)
                    .<LuaValue>map(LuaString::valueUsing).orElse(LuaValue.NIL);
            case GRAFT_CONTENT -> {
                String v = ex.variables().get("graft_content");
                yield v == null ? EMPTY : r.latin1(v);
            }
            case GRAFT_UPSTREAM -> {
                String u = ex.upstream().orElse(defaultUpstream);
                yield u.isEmpty() ? LuaValue.NIL : r.latin1(u);
            }
        };
    }

    /** nginx's $host (see {@link NgxHost}): remembered per request-line host or Host header instance. */
    private static LuaValue host(Exchange ex, Resolved r) {
        if (ex.requestLineHost().isPresent()) {
            return r.latin1(ex.requestLineHost().get());
        }
        String header = ex.requestHeaders().get(HttpHeaderNames.HOST);
        if (header != null && header == r.derivedFrom) {
            return r.derived;
        }
        r.derivedFrom = header;
        r.derived = LuaBytes.latin1(NginxVariables.host(ex));
        return r.derived;
    }

    /** An address as text, remembered per (immutable) socket address. */
    private static LuaValue address(Resolved r, InetSocketAddress a) {
        if (a != r.derivedFrom) {
            r.derivedFrom = a;
            r.derived = LuaBytes.latin1(NginxVariables.ip(a));
        }
        return r.derived;
    }

    private static LuaValue port(Resolved r, InetSocketAddress a) {
        if (a != r.derivedFrom) {
            r.derivedFrom = a;
            r.derived = LuaValue.valueOf(Integer.toString(a.getPort()));
        }
        return r.derived;
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

    private static LuaValue header(Exchange ex, Resolved r) {
        HttpHeaders h = ex.requestHeaders();
        if (r.joinedWith != null) {
            List<String> all = h.getAll(r.header);
            if (all.size() > 1) {
                return LuaBytes.latin1(String.join(r.joinedWith, all));
            }
        }
        return r.latin1(h.get(r.header));
    }

    /** nginx's $arg_NAME (see {@link NginxVariables#arg}), remembered per query string instance. */
    private static LuaValue arg(Exchange ex, Resolved r) {
        String args = ex.args().orElse(null);
        if (args == null) {
            return LuaValue.NIL;
        }
        if (args != r.derivedFrom) {
            r.derivedFrom = args;
            r.derived = NginxVariables.arg(ex, r.name).<LuaValue>map(LuaBytes::latin1).orElse(LuaValue.NIL);
        }
        return r.derived;
    }

    private static LuaValue binaryAddress(InetSocketAddress a) {
        InetAddress addr = a.getAddress();
        return addr == null ? LuaValue.NIL : LuaString.valueUsing(addr.getAddress());
    }

    private static String status(int status) {
        return status < 10 ? "00" + status : status < 100 ? "0" + status : Integer.toString(status);
    }
}
