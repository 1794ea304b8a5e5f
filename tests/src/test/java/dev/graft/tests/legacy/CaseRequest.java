package dev.graft.tests.legacy;

import static java.util.Objects.requireNonNull;

import dev.graft.tests.harness.Header;
import dev.graft.tests.harness.RawRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A case step's request as the case file gives it.
 *
 * @param method  the method, GET by default
 * @param path    the request target, "/" by default
 * @param headers the header fields in order, repeats kept
 * @param body    the text body, if any
 */
public record CaseRequest(String method, String path, List<Header> headers, Optional<String> body) {
    public CaseRequest {
        requireNonNull(method, "method");
        requireNonNull(path, "path");
        headers = List.copyOf(headers);
        requireNonNull(body, "body");
    }

    /**
     * The request on the wire: the case's headers as given, plus, only when the case leaves
     * them out, {@code Host: <defaultHost>}, {@code Content-Length} (with a body) and
     * {@code Connection: close} (one request per connection). The python dev tool does the same.
     */
    public RawRequest toRaw(String defaultHost) {
        requireNonNull(defaultHost, "defaultHost");
        Optional<byte[]> bytes = body.map(b -> b.getBytes(StandardCharsets.UTF_8));
        RawRequest given = new RawRequest(method, path, headers, bytes);
        List<Header> all = new ArrayList<>(headers.size() + 3);
        if (!given.has("Host")) {
            all.add(new Header("Host", defaultHost));
        }
        all.addAll(headers);
        if (bytes.isPresent() && !given.has("Content-Length") && !given.has("Transfer-Encoding")) {
            all.add(new Header("Content-Length", Integer.toString(bytes.get().length)));
        }
        if (!given.has("Connection")) {
            all.add(new Header("Connection", "close"));
        }
        return new RawRequest(method, path, all, bytes);
    }
}
