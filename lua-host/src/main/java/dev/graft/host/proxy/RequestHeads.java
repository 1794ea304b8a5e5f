package dev.graft.host.proxy;

import dev.graft.host.exchange.Exchange;
import dev.graft.host.lua.ngx.NgxHost;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a decoded request head into the proxy's state for it: a fresh request id, the
 * {@link Exchange} ({@code $uri} normalised like nginx, {@code $args} raw, the client's headers
 * as nginx keeps them) and the framing facts. Refuses, in nginx 1.22's order, what nginx
 * answers before any phase runs: a method that is not upper-case letters, '_' or '-' (400), a
 * target that does not normalise (400), an absolute-form host nginx cannot parse (400), a
 * repeated header nginx holds unique (Host, Authorization, If-None-Match ...: 400), an invalid
 * Host, an HTTP/1.1 request without Host (400), and TRACE (405).
 *
 * <p>Header names with a character other than a letter, digit or '-' are dropped, as nginx does
 * with {@code ignore_invalid_headers on} and {@code underscores_in_headers off}.
 */
final class RequestHeads {

    private static final InetSocketAddress UNKNOWN = InetSocketAddress.createUnresolved("0.0.0.0", 0);

    /** The headers nginx 1.22 refuses to see twice (ngx_http_process_unique_header_line, Host). */
    private static final AsciiString[] UNIQUE = {
            AsciiString.cached("host"), AsciiString.cached("authorization"), AsciiString.cached("if-none-match"),
            AsciiString.cached("if-match"), AsciiString.cached("if-modified-since"),
            AsciiString.cached("if-unmodified-since"), AsciiString.cached("if-range"),
            AsciiString.cached("content-range"), AsciiString.cached("content-length"),
            AsciiString.cached("transfer-encoding"), AsciiString.cached("expect")};

    /** What a request head became. */
    sealed interface Result permits Accepted, Refused {}

    record Accepted(InFlightRequest request) implements Result {}

    record Refused(int status, String requestId, String reason) implements Result {}

    private RequestHeads() {}

    static Result read(HttpRequest req, SocketAddress remote, SocketAddress local) {
        String requestId = RequestIds.next();
        long startMillis = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        String method = req.method().name();
        if (!validMethod(method)) {
            return new Refused(400, requestId, "method: " + method + " (expected: upper-case letters, '_' or '-')");
        }
        if (req.protocolVersion().majorVersion() > 1) {
            return new Refused(505, requestId, "version: " + req.protocolVersion() + " (expected: HTTP/1.x)");
        }
        if (!(UriNormalizer.normalize(req.uri()) instanceof UriNormalizer.Normalized target)) {
            return new Refused(400, requestId, "target: " + req.uri() + " (expected: a path that normalises)");
        }
        Optional<String> lineHost = Optional.empty();
        if (req.uri().isEmpty() || req.uri().charAt(0) != '/') {
            lineHost = absoluteFormHost(req.uri());
            if (lineHost.isEmpty()) {
                return new Refused(400, requestId, "target: " + req.uri() + " (expected: a valid host)");
            }
        }
        HttpHeaders headers = req.headers();
        dropInvalidNames(headers);
        String repeated = repeatedUnique(headers);
        if (!repeated.isEmpty()) {
            return new Refused(400, requestId, repeated + ": repeated (expected: once)");
        }
        String host = headers.get(HttpHeaderNames.HOST);
        boolean http11 = req.protocolVersion().equals(HttpVersion.HTTP_1_1);
        if (host != null && NgxHost.of(host).isEmpty()) {
            return new Refused(400, requestId, "Host: " + host + " (expected: a valid host)");
        }
        if (host == null && http11) {
            return new Refused(400, requestId, "Host: missing (expected: exactly one)");
        }
        if (method.equals("TRACE")) {
            return new Refused(405, requestId, "method: TRACE (expected: not TRACE)");
        }
        Exchange ex = Exchange.builder()
                .requestId(requestId)
                .start(startMillis, startNanos)
                .remote(inet(remote))
                .local(inet(local))
                .scheme("http")
                .version(req.protocolVersion())
                .requestUri(req.uri())
                .requestLineHost(lineHost.orElse(null))
                .method(method)
                .uri(target.uri())
                .args(target.args().orElse(null))
                .headers(headers)
                .build();
        boolean chunked = HttpUtil.isTransferEncodingChunked(req);
        long contentLength = chunked ? -1 : HttpUtil.getContentLength(req, 0L);
        String expect = headers.get(HttpHeaderNames.EXPECT);
        boolean expectContinue = http11 && expect != null && expect.trim().equalsIgnoreCase("100-continue");
        // any other expectation is ignored, as nginx does (no 417); Expect never goes upstream
        return new Accepted(new InFlightRequest(ex, HttpUtil.isKeepAlive(req), contentLength, chunked,
                expectContinue, req.method().equals(HttpMethod.HEAD)));
    }

    /** nginx's request-line parser takes methods of upper-case letters, '_' and '-' only. */
    static boolean validMethod(String method) {
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if ((c < 'A' || c > 'Z') && c != '_' && c != '-') {
                return false;
            }
        }
        return !method.isEmpty();
    }

    /**
     * The host of an absolute-form target as nginx's request-line parser reads it (letters,
     * digits, '.', '-', or an IP literal in brackets, then an optional numeric port), in
     * {@code $host} form; empty when nginx would refuse it.
     */
    static Optional<String> absoluteFormHost(String target) {
        int start = UriNormalizer.absoluteForm(target);
        if (start < 0) {
            return Optional.empty();
        }
        int i = start;
        int n = target.length();
        if (i < n && target.charAt(i) == '[') {
            int close = target.indexOf(']', i);
            if (close < 0) {
                return Optional.empty();
            }
            i = close + 1;
        } else {
            while (i < n) {
                char c = target.charAt(i);
                char lower = (char) (c | 0x20);
                if ((lower >= 'a' && lower <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-') {
                    i++;
                } else {
                    break;
                }
            }
        }
        int hostEnd = i;
        if (i < n && target.charAt(i) == ':') {
            i++;
            while (i < n && target.charAt(i) >= '0' && target.charAt(i) <= '9') {
                i++;
            }
        }
        if (hostEnd == start || (i < n && target.charAt(i) != '/' && target.charAt(i) != '?')) {
            return Optional.empty();
        }
        return NgxHost.of(target.substring(start, hostEnd));
    }

    /** Drops header fields whose name nginx ignores: any byte but a letter, a digit or '-'. */
    static void dropInvalidNames(HttpHeaders headers) {
        List<CharSequence> invalid = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (!validName(name)) {
                if (invalid == null) {
                    invalid = new ArrayList<>(2);
                }
                invalid.add(name);
            }
        }
        if (invalid != null) {
            invalid.forEach(headers::remove);
        }
    }

    private static boolean validName(CharSequence name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            char lower = (char) (c | 0x20);
            if (!((lower >= 'a' && lower <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** The name of a unique header that came more than once, or "". */
    private static String repeatedUnique(HttpHeaders headers) {
        int seen = 0;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            for (int u = 0; u < UNIQUE.length; u++) {
                if (UNIQUE[u].contentEqualsIgnoreCase(name)) {
                    if ((seen & 1 << u) != 0) {
                        return UNIQUE[u].toString();
                    }
                    seen |= 1 << u;
                    break;
                }
            }
        }
        return "";
    }

    private static InetSocketAddress inet(SocketAddress address) {
        return address instanceof InetSocketAddress inet ? inet : UNKNOWN;
    }
}
