package dev.graft.bench.stage;

import static java.util.Objects.requireNonNull;

import dev.graft.host.exchange.Exchange;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * One request as a benchmark feeds it to a stage: built into a fresh {@link Exchange} per
 * operation, because stages change the exchange they run on.
 *
 * @param method  the method
 * @param host    the Host header (it names the customer)
 * @param target  the request target as sent
 * @param headers header name/value pairs, in order, besides Host
 * @param body    the request body, when there is one
 */
public record StageInput(String method, String host, String target, List<String> headers, Optional<byte[]> body) {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 8080);

    public StageInput {
        requireNonNull(method, "method");
        requireNonNull(host, "host");
        requireNonNull(target, "target");
        headers = List.copyOf(headers);
        if (headers.size() % 2 != 0) {
            throw new IllegalArgumentException("headers: " + headers.size() + " items (expected: name/value pairs)");
        }
        requireNonNull(body, "body");
    }

    public static StageInput get(String host, String target, String... headers) {
        return new StageInput("GET", host, target, List.of(headers), Optional.empty());
    }

    /** A fresh exchange of this request, as the proxy would build it from the decoded head. */
    public Exchange exchange() {
        // fresh strings, as the proxy's decoder makes them per request: the host's per-VM caches
        // (ngx.var, get_headers) must not hit across requests because the benchmark reuses objects
        HttpHeaders h = new DefaultHttpHeaders();
        h.add("Host", new String(host));
        for (int i = 0; i < headers.size(); i += 2) {
            h.add(new String(headers.get(i)), new String(headers.get(i + 1)));
        }
        body.ifPresent(b -> h.set("Content-Length", Integer.toString(b.length)));
        String target = new String(this.target);
        int q = target.indexOf('?');
        Exchange ex = Exchange.builder()
                .requestId("0123456789abcdef0123456789abcdef")
                .remote(CLIENT)
                .local(SERVER)
                .requestUri(target)
                .method(method)
                .uri(q < 0 ? target : target.substring(0, q))
                .args(q < 0 ? null : target.substring(q + 1))
                .headers(h)
                .build();
        body.ifPresent(ex::body);
        return ex;
    }
}
