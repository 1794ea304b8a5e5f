package dev.graft.tests.harness;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A response as read from the wire: status, header fields in order (repeats kept) and the
 * de-chunked body.
 */
public record RawResponse(int status, List<Header> headers, byte[] body) {
    public RawResponse {
        headers = List.copyOf(headers);
        requireNonNull(body, "body");
    }

    /** Every value of the header, in order; names compare case-insensitively. */
    public List<String> values(String name) {
        List<String> out = new ArrayList<>(1);
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                out.add(h.value());
            }
        }
        return out;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
