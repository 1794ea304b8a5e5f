package dev.graft.tests.harness;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A request exactly as the harness writes it on the wire: method, target and version are not
 * checked or encoded (odd ones are the point of some tests), headers keep their order and
 * repeats, and the body is written as given (a chunked body comes already chunked).
 *
 * @param method  the method token as sent
 * @param target  the request target as sent (origin form, or absolute form)
 * @param version the protocol version as sent, {@code HTTP/1.1} unless a test wants another
 * @param headers the header fields, in order
 * @param body    the body bytes, if any
 */
public record RawRequest(String method, String target, String version, List<Header> headers, Optional<byte[]> body) {
    public RawRequest {
        requireNonNull(method, "method");
        requireNonNull(target, "target");
        requireNonNull(version, "version");
        headers = List.copyOf(headers);
        requireNonNull(body, "body");
    }

    /** An HTTP/1.1 request. */
    public RawRequest(String method, String target, List<Header> headers, Optional<byte[]> body) {
        this(method, target, "HTTP/1.1", headers, body);
    }

    public boolean has(String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** One line to name the request in a failure message (long values cut). */
    public String describe() {
        StringBuilder out = new StringBuilder(method).append(' ').append(cut(target));
        if (!version.equals("HTTP/1.1")) {
            out.append(' ').append(version);
        }
        for (Header h : headers) {
            out.append(" | ").append(h.name()).append(": ").append(cut(h.value()));
        }
        body.ifPresent(b -> out.append(" | body (").append(b.length).append(" bytes) ")
                .append(cut(new String(b, StandardCharsets.UTF_8)).replace("\r\n", "\\r\\n")));
        return out.toString();
    }

    private static String cut(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "...(" + s.length() + " chars)" : s;
    }
}
