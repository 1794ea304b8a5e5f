package dev.graft.host.proxy;

import dev.graft.host.exchange.Exchange;
import dev.graft.host.exchange.RequestPipeline;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** A pipeline for tests: each phase does what the test sets, and every call is recorded. */
final class StubPipeline implements RequestPipeline {

    volatile Predicate<Exchange> wantsBody = ex -> false;
    volatile Function<Exchange, Verdict> onRequest = ex -> Verdict.PROXY;
    volatile java.util.function.Consumer<Exchange> onHead = ex -> {};
    volatile boolean filters;
    volatile UnaryOperator<byte[]> bodyFilter = chunk -> chunk;

    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Exchange> logged = new CopyOnWriteArrayList<>();

    @Override
    public boolean wantsBody(Exchange exchange) {
        events.add("wantsBody");
        return wantsBody.test(exchange);
    }

    @Override
    public Verdict onRequest(Exchange exchange) {
        events.add("request");
        return onRequest.apply(exchange);
    }

    @Override
    public void onResponseHead(Exchange exchange) {
        events.add("head:" + exchange.status());
        onHead.accept(exchange);
    }

    @Override
    public boolean filtersBody(Exchange exchange) {
        return filters;
    }

    @Override
    public byte[] onResponseBody(Exchange exchange, byte[] chunk, boolean last) {
        if (last) {
            events.add("body:last");
        }
        return bodyFilter.apply(chunk);
    }

    @Override
    public void onLog(Exchange exchange) {
        events.add("log:" + exchange.status());
        logged.add(exchange);
    }

    /** A verdict that answers from the proxy with {@code status} and {@code body}. */
    static Function<Exchange, Verdict> respond(int status, String body) {
        return ex -> {
            ex.status(status);
            ex.responseHeaders().set("Content-Type", "text/plain");
            ex.output().writeBytes(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return Verdict.RESPOND;
        };
    }
}
