package dev.graft.tests.harness;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A request exactly as the harness writes it on the wire: method and target are not checked
 * or encoded (odd targets are the point of some tests), headers keep their order and repeats.
 *
 * @param method  the method token as sent
 * @param target  the request target as sent (path and query)
 * @param headers the header fields, in order
 * @param body    the body, if any
 */
public record RawRequest(String method, String target, List<Header> headers, Optional<byte[]> body) {
    public RawRequest {
        requireNonNull(method, "method");
        requireNonNull(target, "target");
        headers = List.copyOf(headers);
        requireNonNull(body, "body");
    }

    public boolean has(String name) {
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** One line to name the request in a failure message. */
    public String describe() {
        StringBuilder out = new StringBuilder(method).append(' ').append(target);
        for (Header h : headers) {
            out.append(" | ").append(h.name()).append(": ").append(h.value());
        }
        body.ifPresent(b -> out.append(" | body ").append(new String(b, StandardCharsets.UTF_8)));
        return out.toString();
    }
}
