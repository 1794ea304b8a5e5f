package dev.graft.host.exchange;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.Phase;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The single representation of one request and its response for its whole life in the
 * proxy. Stages read and change it in place: Lua through the {@code ngx} views, Java
 * through typed views. Nothing is copied between stages.
 *
 * <p>An exchange is confined to the event loop of its client channel; it is not
 * thread-safe and needs no locks.
 */
public final class Exchange {

    // --- identity and connection facts, fixed when the request head arrives
    private final String requestId;
    private final long startEpochMillis;
    private final long startNanos;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final String scheme;
    private final HttpVersion version;
    private final String requestUri;
    private final String requestLineHost;

    // --- the request, as the stages see and change it
    private String method;
    private String uri;
    private String args;
    private boolean uriChanged;
    private final HttpHeaders requestHeaders;
    private byte[] body;
    private boolean bodyBuffered;

    // --- the response
    private int status;
    private final HttpHeaders responseHeaders = new DefaultHttpHeaders();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream(0);
    private boolean headersSent;

    // --- routing and per-request state
    private String upstream;
    private final Map<String, String> variables = new HashMap<>();
    private Object luaCtx;
    private Phase phase = Phase.REWRITE;

    private Exchange(Builder b) {
        this.requestId = requireNonNull(b.requestId, "requestId");
        this.startEpochMillis = b.startEpochMillis;
        this.startNanos = b.startNanos;
        this.remote = requireNonNull(b.remote, "remote");
        this.local = requireNonNull(b.local, "local");
        this.scheme = requireNonNull(b.scheme, "scheme");
        this.version = requireNonNull(b.version, "version");
        this.requestUri = requireNonNull(b.requestUri, "requestUri");
        this.requestLineHost = b.requestLineHost;
        this.method = requireNonNull(b.method, "method");
        this.uri = requireNonNull(b.uri, "uri");
        this.args = b.args;
        this.requestHeaders = requireNonNull(b.headers, "headers");
    }

    public static Builder builder() {
        return new Builder();
    }

    public String requestId() { return requestId; }
    public long startEpochMillis() { return startEpochMillis; }
    public long startNanos() { return startNanos; }
    public InetSocketAddress remote() { return remote; }
    public InetSocketAddress local() { return local; }
    public String scheme() { return scheme; }
    public HttpVersion version() { return version; }
    /** The request target exactly as the client sent it ({@code $request_uri}). */
    public String requestUri() { return requestUri; }
    /** The host of an absolute-form request target, in {@code $host} form: nginx prefers it to the Host header. */
    public Optional<String> requestLineHost() { return Optional.ofNullable(requestLineHost); }

    public String method() { return method; }
    public void method(String method) { this.method = requireNonNull(method, "method"); }

    /**
     * The decoded, normalised path ({@code $uri}), one char per byte (ISO-8859-1) like every
     * request string here: nginx's {@code $uri} is bytes, which need not be UTF-8.
     */
    public String uri() { return uri; }
    public void uri(String uri) {
        this.uri = requireNonNull(uri, "uri");
        this.uriChanged = true;
    }

    /** The query string without '?' ({@code $args}), if the request has one. */
    public Optional<String> args() { return Optional.ofNullable(args); }
    public void args(String args) {
        this.args = args == null || args.isEmpty() ? null : args;
        this.uriChanged = true;
    }

    /** Whether a stage changed the URI or args, so the upstream gets the re-encoded form. */
    public boolean uriChanged() { return uriChanged; }

    public HttpHeaders requestHeaders() { return requestHeaders; }

    /** The whole request body, once buffered; empty when the request has none. */
    public Optional<byte[]> body() { return Optional.ofNullable(body); }
    public boolean bodyBuffered() { return bodyBuffered; }
    public void body(byte[] body) {
        this.body = body;
        this.bodyBuffered = true;
    }

    /** The response status a stage set, or 0 while none is set. */
    public int status() { return status; }
    public void status(int status) { this.status = status; }
    public HttpHeaders responseHeaders() { return responseHeaders; }
    /** What {@code ngx.say}/{@code ngx.print} produced, to be sent as the response body. */
    public ByteArrayOutputStream output() { return output; }
    public boolean headersSent() { return headersSent; }
    public void markHeadersSent() { this.headersSent = true; }

    /** The upstream the routing stage chose, by name. */
    public Optional<String> upstream() { return Optional.ofNullable(upstream); }
    public void upstream(String upstream) { this.upstream = upstream; }

    /** Variables that stages set and read ({@code ngx.var.NAME = v}) beyond the built-in ones. */
    public Map<String, String> variables() { return variables; }

    /** The request's {@code ngx.ctx} table, created by the Lua host on first use. */
    public Object luaCtx() { return luaCtx; }
    public void luaCtx(Object luaCtx) { this.luaCtx = luaCtx; }

    public Phase phase() { return phase; }
    public void phase(Phase phase) { this.phase = requireNonNull(phase, "phase"); }

    /** Builds an exchange from a decoded request head. */
    public static final class Builder {
        private String requestId;
        private long startEpochMillis = System.currentTimeMillis();
        private long startNanos = System.nanoTime();
        private InetSocketAddress remote;
        private InetSocketAddress local;
        private String scheme = "http";
        private HttpVersion version = HttpVersion.HTTP_1_1;
        private String requestUri;
        private String requestLineHost;
        private String method;
        private String uri;
        private String args;
        private HttpHeaders headers = new DefaultHttpHeaders();

        private Builder() {}

        public Builder requestId(String v) { this.requestId = v; return this; }
        public Builder start(long epochMillis, long nanos) { this.startEpochMillis = epochMillis; this.startNanos = nanos; return this; }
        public Builder remote(InetSocketAddress v) { this.remote = v; return this; }
        public Builder local(InetSocketAddress v) { this.local = v; return this; }
        public Builder scheme(String v) { this.scheme = v; return this; }
        public Builder version(HttpVersion v) { this.version = v; return this; }
        public Builder requestUri(String v) { this.requestUri = v; return this; }
        public Builder requestLineHost(String v) { this.requestLineHost = v; return this; }
        public Builder method(String v) { this.method = v; return this; }
        public Builder uri(String v) { this.uri = v; return this; }
        public Builder args(String v) { this.args = v == null || v.isEmpty() ? null : v; return this; }
        public Builder headers(HttpHeaders v) { this.headers = v; return this; }

        public Exchange build() {
            return new Exchange(this);
        }
    }
}
