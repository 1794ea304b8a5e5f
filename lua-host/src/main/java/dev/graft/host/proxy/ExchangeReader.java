package dev.graft.host.proxy;

import static java.util.Objects.requireNonNull;

import dev.graft.host.exchange.Exchange;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The proxy's reading of a request head into an {@link Exchange}, for tools that drive the
 * pipeline without a connection (the parity harness): the same checks and normalisation as a
 * served request, so that both sides of a comparison see what the proxy would hand them.
 */
public final class ExchangeReader {

    private ExchangeReader() {}

    /** The exchange the proxy would build from {@code req}, or empty when the proxy refuses the head. */
    public static Optional<Exchange> read(HttpRequest req, InetSocketAddress remote, InetSocketAddress local) {
        requireNonNull(req, "req");
        return switch (RequestHeads.read(req, requireNonNull(remote, "remote"), requireNonNull(local, "local"))) {
            case RequestHeads.Accepted a -> Optional.of(a.request().exchange);
            case RequestHeads.Refused r -> Optional.empty();
        };
    }
}
