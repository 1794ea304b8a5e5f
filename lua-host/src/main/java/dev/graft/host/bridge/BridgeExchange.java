package dev.graft.host.bridge;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.CtxKey;
import dev.graft.bridge.HeaderFields;
import dev.graft.bridge.RequestView;
import dev.graft.bridge.ResponseView;
import dev.graft.bridge.StageExchange;
import dev.graft.bridge.shared.SharedDict;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.lua.ngx.LuaBytes;
import dev.graft.host.lua.ngx.NginxVariables;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link StageExchange} a Java stage gets: typed views over the request's one
 * {@link Exchange}, the object Lua's {@code ngx} views read as well, so nothing is copied.
 * {@code ngx.ctx} values go through {@link CtxValues}: to and from the Lua table when the
 * request's context is one (the Lua driver runs, or a Lua stage ran), else a {@link JavaCtx}.
 * Log lines go where {@code ngx.log}'s go, in its form.
 *
 * <p>One per request and customer (the driver's handlers and the native path each keep theirs),
 * so it and its views are made once, not per stage call: it holds nothing that a stage changes.
 * What it caches is fixed for the request (the client address) or checked on every use (a ctx
 * value read back from the Lua table is reused only while the table holds the very Lua value
 * it came from). Confined to the exchange's event loop.
 */
final class BridgeExchange implements StageExchange {

    private static final Logger LOG = LoggerFactory.getLogger("graft.lua");
    /** How many ctx keys a request's cache of values read back from the Lua table holds. */
    private static final int CTX_CACHE = 8;

    private final Exchange ex;
    private final String customer;
    private final LoopServices services;
    private final CtxNames names;
    private final HeaderNames headerNames;
    private final boolean quiet;
    private Request request;
    private Response response;
    private String remoteAddress;
    // ctx values that crossed the Lua table (keys by identity, the Lua value seen, the Java value)
    private CtxKey<?>[] cachedKeys;
    private LuaValue[] cachedLua;
    private Optional<?>[] cachedJava;
    private int cached;

    BridgeExchange(Exchange ex, String customer, LoopServices services) {
        this(ex, customer, services, false);
    }

    /** @param quiet drop the stage's log lines (a shadow run has no logs of its own) */
    BridgeExchange(Exchange ex, String customer, LoopServices services, boolean quiet) {
        this(ex, customer, services, new CtxNames(), new HeaderNames(), quiet);
    }

    /**
     * @param names       the loop's Lua names of ctx keys
     * @param headerNames the loop's header names as Netty keeps them
     */
    BridgeExchange(Exchange ex, String customer, LoopServices services, CtxNames names, HeaderNames headerNames,
            boolean quiet) {
        this.quiet = quiet;
        this.ex = requireNonNull(ex, "ex");
        this.customer = requireNonNull(customer, "customer");
        this.services = requireNonNull(services, "services");
        this.names = requireNonNull(names, "names");
        this.headerNames = requireNonNull(headerNames, "headerNames");
    }

    /** Whether this is the view of {@code exchange} for {@code customer} (reused for the request's next stage). */
    boolean serves(Exchange exchange, String customer) {
        return ex == exchange && this.customer.equals(customer);
    }

    @Override
    public String requestId() {
        return ex.requestId();
    }

    @Override
    public String customer() {
        return customer;
    }

    @Override
    public String remoteAddress() {
        String a = remoteAddress;
        if (a == null) {
            a = NginxVariables.ip(ex.remote()); // the peer does not change during a request
            remoteAddress = a;
        }
        return a;
    }

    @Override
    public RequestView request() {
        Request r = request;
        if (r == null) {
            r = new Request();
            request = r;
        }
        return r;
    }

    @Override
    public ResponseView response() {
        Response r = response;
        if (r == null) {
            r = new Response();
            response = r;
        }
        return r;
    }

    @Override
    public String upstream() {
        return ex.upstream().orElse(services.defaultUpstream());
    }

    @Override
    public void upstream(String name) {
        ex.upstream(requireNonNull(name, "name"));
    }

    @Override
    public Optional<String> variable(String name) {
        requireNonNull(name, "name");
        String n = name.toLowerCase(Locale.ROOT);
        return switch (n) {
            case "uri", "document_uri" -> Optional.of(ex.uri());
            case "request_uri" -> Optional.of(ex.requestUri());
            case "args", "query_string" -> ex.args();
            case "is_args" -> Optional.of(ex.args().isPresent() ? "?" : "");
            case "host" -> Optional.of(NginxVariables.host(ex));
            case "scheme" -> Optional.of(ex.scheme());
            case "https" -> Optional.of("https".equals(ex.scheme()) ? "on" : "");
            case "server_protocol" -> Optional.of(ex.version().text());
            case "request_method" -> Optional.of(ex.method());
            case "remote_addr" -> Optional.of(NginxVariables.ip(ex.remote()));
            case "remote_port" -> Optional.of(Integer.toString(ex.remote().getPort()));
            case "server_addr" -> Optional.of(NginxVariables.ip(ex.local()));
            case "server_port" -> Optional.of(Integer.toString(ex.local().getPort()));
            case "request_id" -> Optional.of(ex.requestId());
            // as ngx.var gives them (NgxVar): seconds with millisecond precision
            case "request_time" -> Optional.of(NginxVariables.seconds((System.nanoTime() - ex.startNanos()) / 1_000_000));
            case "msec" -> Optional.of(NginxVariables.seconds(System.currentTimeMillis()));
            case "status" -> Optional.of(String.format(Locale.ROOT, "%03d", ex.status()));
            case "content_type" -> Optional.ofNullable(ex.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE));
            case "content_length" -> Optional.ofNullable(ex.requestHeaders().get(HttpHeaderNames.CONTENT_LENGTH));
            case "graft_upstream" -> Optional.of(upstream()).filter(s -> !s.isEmpty());
            case "graft_content" -> Optional.of(ex.variables().getOrDefault("graft_content", ""));
            default -> {
                if (n.startsWith("http_")) {
                    yield header(n.substring(5));
                }
                if (n.startsWith("cookie_")) {
                    yield NginxVariables.cookie(ex, name.substring(7));
                }
                if (n.startsWith("arg_")) {
                    yield NginxVariables.arg(ex, n.substring(4));
                }
                yield Optional.ofNullable(ex.variables().get(n));
            }
        };
    }

    private Optional<String> header(String suffix) {
        String headerName = suffix.replace('_', '-');
        List<String> all = ex.requestHeaders().getAll(headerName);
        if (all.isEmpty()) {
            return Optional.empty();
        }
        // nginx joins these two when they repeat; every other header reads as its first value
        if (all.size() > 1 && (suffix.equals("cookie") || suffix.equals("x_forwarded_for"))) {
            return Optional.of(String.join(suffix.equals("cookie") ? "; " : ", ", all));
        }
        return Optional.of(all.get(0));
    }

    @Override
    public void variable(String name, String value) {
        requireNonNull(name, "name");
        requireNonNull(value, "value");
        String n = name.toLowerCase(Locale.ROOT);
        switch (n) {
            case "args" -> ex.args(value);
            case "graft_upstream" -> ex.upstream(value);
            case "graft_content" -> ex.variables().put("graft_content", value);
            default -> {
                if (n.startsWith("http_") || n.startsWith("arg_") || n.startsWith("cookie_") || isBuiltin(n)) {
                    throw new IllegalArgumentException("name: \"" + n + "\" (expected: a changeable variable)");
                }
                ex.variables().put(n, value);
            }
        }
    }

    private static boolean isBuiltin(String n) {
        return switch (n) {
            case "uri", "document_uri", "request_uri", "query_string", "is_args", "host", "scheme", "https",
                 "server_protocol", "request_method", "remote_addr", "remote_port", "binary_remote_addr",
                 "server_addr", "server_port", "request_id", "request_time", "msec", "status", "content_type",
                 "content_length", "request_body" -> true;
            default -> false;
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Optional<T> get(CtxKey<T> key) {
        requireNonNull(key, "key");
        return switch (ex.luaCtx()) {
            case LuaTable t -> {
                LuaValue v = t.rawget(names.of(key));
                if (v.isnil()) {
                    yield Optional.empty();
                }
                int i = cachedIndex(key);
                if (i >= 0 && cachedLua[i] == v) {
                    yield (Optional<T>) cachedJava[i]; // the table still holds what we converted
                }
                Optional<T> value = CtxValues.fromLua(key.type(), v, names);
                if (value.isEmpty()) {
                    services.metrics().ctxConversionFailure(key.name());
                } else if (v.type() != LuaValue.TTABLE && CtxValues.cacheable(key.type(), value.get())) {
                    remember(i, key, v, value);
                }
                yield value;
            }
            case JavaCtx j -> j.get(key);
            case null, default -> Optional.empty();
        };
    }

    @Override
    public <T> void put(CtxKey<T> key, T value) {
        requireNonNull(key, "key");
        requireNonNull(value, "value");
        switch (ex.luaCtx()) {
            case LuaTable t -> {
                LuaValue v = CtxValues.toLua(key.type(), value, names);
                t.rawset(names.of(key), v);
                int i = cachedIndex(key);
                if (CtxValues.cacheable(key.type(), value)) {
                    remember(i, key, v, Optional.of(value));
                } else if (i >= 0) {
                    cachedLua[i] = null;
                }
            }
            case JavaCtx j -> j.put(key, value);
            case null, default -> {
                JavaCtx j = new JavaCtx();
                j.put(key, value);
                ex.luaCtx(j);
            }
        }
    }

    @Override
    public void remove(CtxKey<?> key) {
        requireNonNull(key, "key");
        switch (ex.luaCtx()) {
            case LuaTable t -> t.rawset(names.of(key), LuaValue.NIL);
            case JavaCtx j -> j.remove(key);
            case null, default -> { }
        }
    }

    private int cachedIndex(CtxKey<?> key) {
        for (int i = 0; i < cached; i++) {
            if (cachedKeys[i] == key) {
                return i;
            }
        }
        return -1;
    }

    /** Remembers that the table holds {@code lua} for {@code key}, which reads as {@code java}. */
    private void remember(int i, CtxKey<?> key, LuaValue lua, Optional<?> java) {
        if (i < 0) {
            if (cachedKeys == null) {
                cachedKeys = new CtxKey<?>[CTX_CACHE];
                cachedLua = new LuaValue[CTX_CACHE];
                cachedJava = new Optional<?>[CTX_CACHE];
            }
            if (cached == CTX_CACHE) {
                return; // a request with more keys than that reads the rest from the table each time
            }
            i = cached++;
            cachedKeys[i] = key;
        }
        cachedLua[i] = lua;
        cachedJava[i] = java;
    }

    @Override
    public Optional<SharedDict> shared(String name) {
        return services.dicts().get(requireNonNull(name, "name"));
    }

    @Override
    public Clock clock() {
        return services.clock();
    }

    @Override
    public RandomGenerator random() {
        return services.random();
    }

    @Override
    public boolean logs(LogLevel level) {
        requireNonNull(level, "level");
        if (quiet) {
            return false;
        }
        return switch (level) {
            case STDERR, EMERG, ALERT, CRIT, ERR -> LOG.isErrorEnabled();
            case WARN -> LOG.isWarnEnabled();
            case NOTICE, INFO -> LOG.isInfoEnabled();
            case DEBUG -> LOG.isDebugEnabled();
        };
    }

    @Override
    public void log(LogLevel level, String message) {
        requireNonNull(level, "level");
        requireNonNull(message, "message");
        if (!logs(level)) {
            return;
        }
        String phase = ex.phase().luaName();
        String text = loggedText(message);
        switch (level) {
            case STDERR, EMERG, ALERT, CRIT, ERR -> LOG.error("[{}] {}: {}", ex.requestId(), phase, text);
            case WARN -> LOG.warn("[{}] {}: {}", ex.requestId(), phase, text);
            case NOTICE, INFO -> LOG.info("[{}] {}: {}", ex.requestId(), phase, text);
            case DEBUG -> LOG.debug("[{}] {}: {}", ex.requestId(), phase, text);
        }
    }

    /**
     * The String {@code ngx.log} logs for the Lua string whose bytes are the chars of
     * {@code byteChars} (see {@link StageExchange#log}): LuaJ's own decoding of the bytes, so
     * even bytes that are not UTF-8 come out as they do for a Lua stage.
     */
    static String loggedText(String byteChars) {
        for (int i = 0; i < byteChars.length(); i++) {
            if (byteChars.charAt(i) >= 0x80) {
                return LuaBytes.latin1(byteChars).tojstring();
            }
        }
        // ASCII reads as itself
        return byteChars;
    }

    // --- views

    private final class Request implements RequestView {
        private final ExchangeHeaders headers = new ExchangeHeaders(ex.requestHeaders(), false, headerNames);

        @Override public String method() { return ex.method(); }
        @Override public void method(String method) { ex.method(requireNonNull(method, "method")); }
        @Override public String requestUri() { return ex.requestUri(); }
        @Override public String uri() { return ex.uri(); }
        @Override public void uri(String uri) { ex.uri(requireNonNull(uri, "uri")); }
        @Override public Optional<String> args() { return ex.args(); }
        @Override public void args(String args) { ex.args(requireNonNull(args, "args")); }
        @Override public List<String> arg(String name) { return decodedArg(ex.args().orElse(""), name); }
        @Override public HeaderFields headers() { return headers; }
        @Override public Optional<String> cookie(String name) { return NginxVariables.cookie(ex, name); }
        @Override public Optional<byte[]> body() { return ex.body(); }
        @Override public String host() { return NginxVariables.host(ex); }
        @Override public String scheme() { return ex.scheme(); }
        @Override public String protocol() { return ex.version().text(); }
    }

    private final class Response implements ResponseView {
        private final ExchangeHeaders headers = new ExchangeHeaders(ex.responseHeaders(), true, headerNames);

        @Override public int status() { return ex.status(); }
        @Override public void status(int status) { ex.status(status); }
        @Override public HeaderFields headers() { return headers; }
    }

    /** The decoded values of {@code name} as ngx.req.get_uri_args gives them, bytes as Latin-1 chars. */
    static List<String> decodedArg(String args, String name) {
        List<String> out = new ArrayList<>(1);
        int n = args.length();
        int i = 0;
        while (i < n) {
            int amp = args.indexOf('&', i);
            if (amp < 0) {
                amp = n;
            }
            if (amp > i) {
                int eq = args.indexOf('=', i);
                int keyEnd = eq >= 0 && eq < amp ? eq : amp;
                if (keyEnd > i && unescape(args, i, keyEnd).equals(name)) {
                    out.add(keyEnd == amp ? "" : unescape(args, keyEnd + 1, amp));
                }
            }
            i = amp + 1;
        }
        return out;
    }

    private static String unescape(String s, int from, int to) {
        StringBuilder b = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '+') {
                b.append(' ');
            } else if (c == '%' && i + 2 < to && hex(s, i + 1) >= 0 && hex(s, i + 2) >= 0) {
                b.append((char) (hex(s, i + 1) * 16 + hex(s, i + 2)));
                i += 2;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static int hex(String s, int i) {
        if (i >= s.length()) {
            return -1;
        }
        char c = s.charAt(i);
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
