package dev.graft.host.lua.ngx;

import java.util.Optional;

/**
 * nginx's {@code $host} from a host name (the Host header, or the host of an absolute-form
 * request target), with nginx's validation ({@code ngx_http_validate_host}): the port and one
 * trailing dot are dropped, letters lower-cased; an empty name, {@code ..}, a '/' or a
 * control character makes the host invalid (nginx answers 400). One char per byte in and out.
 */
public final class NgxHost {

    private NgxHost() {}

    /**
     * {@code $host} of a request: the absolute-form target's host, else the Host header's, else
     * the server name, which is empty (the generated nginx config names none).
     */
    public static String of(dev.graft.host.exchange.Exchange ex) {
        if (ex.requestLineHost().isPresent()) {
            return ex.requestLineHost().get();
        }
        String header = ex.requestHeaders().get(io.netty.handler.codec.http.HttpHeaderNames.HOST);
        return header == null ? "" : of(header).orElse("");
    }

    /** The {@code $host} form of {@code host}, or empty when nginx refuses it. */
    public static Optional<String> of(String host) {
        int n = host.length();
        int hostLength = n;
        int dot = n;
        boolean literal = false;
        boolean rest = false;
        boolean upper = false;
        for (int i = 0; i < n; i++) {
            char c = host.charAt(i);
            switch (c) {
                case '.' -> {
                    if (dot == i - 1) {
                        return Optional.empty();
                    }
                    dot = i;
                }
                case ':' -> {
                    if (!rest && !literal) {
                        hostLength = i;
                        rest = true;
                    }
                }
                case '[' -> literal |= i == 0;
                case ']' -> {
                    if (literal && !rest) {
                        hostLength = i + 1;
                        rest = true;
                    }
                }
                default -> {
                    if (c == '/' || c <= 0x20 || c == 0x7F) {
                        return Optional.empty();
                    }
                    upper |= c >= 'A' && c <= 'Z';
                }
            }
        }
        if (dot == hostLength - 1) {
            hostLength--;
        }
        if (hostLength <= 0) {
            return Optional.empty();
        }
        String name = host.substring(0, hostLength);
        if (!upper) {
            return Optional.of(name);
        }
        char[] out = name.toCharArray();
        for (int i = 0; i < out.length; i++) {
            if (out[i] >= 'A' && out[i] <= 'Z') {
                out[i] += 32;
            }
        }
        return Optional.of(new String(out));
    }
}
