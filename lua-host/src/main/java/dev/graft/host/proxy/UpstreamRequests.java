package dev.graft.host.proxy;

import dev.graft.host.config.GraftConfig.Server;
import dev.graft.host.exchange.Exchange;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import dev.graft.host.lua.ngx.NgxHost;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Builds the request head sent upstream, re-serialised from the exchange (never the client's
 * bytes): the method and headers the stages left, hop-by-hop headers and {@code Expect}
 * removed, X-Forwarded-For/-Proto/-Host and X-Request-Id set as nginx's proxy_set_header lines
 * do (the Host header is the client's, absent when the client sent none), and the target either the
 * client's raw target or, when a stage changed the URI, the re-escaped {@code $uri?$args}.
 */
final class UpstreamRequests {

    private static final CharSequence X_FORWARDED_FOR = "X-Forwarded-For";
    private static final CharSequence X_FORWARDED_PROTO = "X-Forwarded-Proto";
    private static final CharSequence X_FORWARDED_HOST = "X-Forwarded-Host";

    private UpstreamRequests() {}

    /**
     * @param bufferedLength the length of the buffered body when the stages read it whole
     * @param chunked        whether a streamed body is sent chunked (the client sent it so)
     */
    static HttpRequest build(Exchange ex, Server server, OptionalLong bufferedLength, boolean chunked) {
        // Not validated: nginx forwards any byte but NUL, CR and LF in values (the guard refuses
        // those from clients; what a stage set is escaped below, as lua-nginx-module does).
        HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = ex.requestHeaders().iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            headers.add(safe(h.getKey()), safe(h.getValue()));
        }
        HopByHopHeaders.stripForUpstream(headers);
        if (bufferedLength.isPresent()) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, bufferedLength.getAsLong());
        } else if (chunked) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        String client = ex.remote().getAddress() == null ? ex.remote().getHostString() : ex.remote().getAddress().getHostAddress();
        headers.set(X_FORWARDED_FOR, forwardedFor(headers.getAll(X_FORWARDED_FOR), client));
        headers.set(X_FORWARDED_PROTO, ex.scheme());
        // proxy_set_header X-Forwarded-Host $host: nginx's $host (lower case, no port, no
        // trailing dot); like any proxy_set_header, an empty value sends no header.
        String host = NgxHost.of(ex);
        if (!host.isEmpty()) {
            headers.set(X_FORWARDED_HOST, host);
        } else {
            headers.remove(X_FORWARDED_HOST);
        }
        headers.set(ClientResponses.REQUEST_ID, ex.requestId());
        String target = target(ex);
        Optional<String> wire = wireTarget(target);
        if (wire.isEmpty()) {
            byte[] raw = target.getBytes(StandardCharsets.ISO_8859_1);
            return new RawTargetBytes.Request(HttpVersion.HTTP_1_1, HttpMethod.valueOf(ex.method()),
                    "?".repeat(raw.length), headers, raw);
        }
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(ex.method()), wire.get(), headers);
    }

    /** {@code s} with CR, LF and NUL percent-escaped, so a value a stage set cannot split the head. */
    static CharSequence safe(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                StringBuilder out = new StringBuilder(s.length() + 8).append(s, 0, i);
                for (int j = i; j < s.length(); j++) {
                    char d = s.charAt(j);
                    switch (d) {
                        case '\r' -> out.append("%0D");
                        case '\n' -> out.append("%0A");
                        case 0 -> out.append("%00");
                        default -> out.append(d);
                    }
                }
                return out.toString();
            }
        }
        return s;
    }

    /**
     * nginx's {@code $proxy_add_x_forwarded_for}: every X-Forwarded-For line joined with ", "
     * (an empty line too), then the client.
     */
    static String forwardedFor(List<String> chain, String client) {
        if (chain.isEmpty()) {
            return client;
        }
        StringBuilder out = new StringBuilder();
        for (String link : chain) {
            out.append(link).append(", ");
        }
        return out.append(client).toString();
    }

    /**
     * The target as Netty's request encoder needs it to put the target's own bytes on the wire:
     * the encoder writes the request line as UTF-8, while the target holds one char per byte.
     * When those bytes are valid UTF-8, their UTF-8 decoding encodes back to exactly them; when
     * they are not (raw invalid UTF-8 in an unchanged target), empty: {@link RawTargetBytes}
     * writes them.
     */
    static Optional<String> wireTarget(String target) {
        for (int i = 0; i < target.length(); i++) {
            if (target.charAt(i) >= 0x80) {
                byte[] bytes = target.getBytes(StandardCharsets.ISO_8859_1);
                CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
                try {
                    return Optional.of(utf8.decode(ByteBuffer.wrap(bytes)).toString());
                } catch (CharacterCodingException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(target);
    }

    static String target(Exchange ex) {
        String raw = ex.requestUri();
        if (!ex.uriChanged() && !raw.isEmpty() && raw.charAt(0) == '/') {
            return raw;
        }
        return UriEscaper.target(ex.uri(), ex.args());
    }
}
