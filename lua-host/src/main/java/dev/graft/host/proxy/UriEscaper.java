package dev.graft.host.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Turns a changed {@code $uri} back into a request target, escaping like nginx's
 * {@code NGX_ESCAPE_URI}: unreserved characters, sub-delims, '/', ':' and '@' stay; every other
 * byte of {@code $uri} (one char per byte; space, '%', '?', '#', controls, non-ASCII) becomes {@code %XX}. The
 * query string is appended as the stage left it.
 */
final class UriEscaper {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final boolean[] KEEP = new boolean[128];

    static {
        String keep = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=/:@";
        for (int i = 0; i < keep.length(); i++) {
            KEEP[keep.charAt(i)] = true;
        }
    }

    private UriEscaper() {}

    static String target(String uri, Optional<String> args) {
        String path = escape(uri);
        return args.map(a -> path + "?" + a).orElse(path);
    }

    static String escape(String uri) {
        boolean plain = true;
        for (int i = 0; i < uri.length() && plain; i++) {
            char c = uri.charAt(i);
            plain = c < 128 && KEEP[c];
        }
        if (plain) {
            return uri;
        }
        // $uri holds one char per byte (ISO-8859-1): escape the bytes themselves, never a UTF-8 form
        StringBuilder out = new StringBuilder(uri.length() + 16);
        for (int i = 0; i < uri.length(); i++) {
            int b = uri.charAt(i) & 0xFF;
            if (b < 128 && KEEP[b]) {
                out.append((char) b);
            } else {
                out.append('%').append((char) HEX[b >>> 4]).append((char) HEX[b & 0xF]);
            }
        }
        return out.toString();
    }
}
