package dev.graft.host.proxy;

import dev.graft.host.exchange.Exchange;
import dev.graft.host.exchange.RequestPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the proxy contains a pipeline that throws. The contract says pipelines
 * contain their own failures; an exception reaching the proxy is a bug, and it must still not
 * take a connection's state machine down: request phases turn into a 500, filters and log are
 * skipped.
 */
final class ContainedPipeline implements RequestPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(ContainedPipeline.class);

    private final RequestPipeline delegate;

    ContainedPipeline(RequestPipeline delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean wantsBody(Exchange exchange) {
        try {
            return delegate.wantsBody(exchange);
        } catch (RuntimeException e) {
            bug("wantsBody", exchange, e);
            return false;
        }
    }

    @Override
    public Verdict onRequest(Exchange exchange) {
        try {
            return delegate.onRequest(exchange);
        } catch (RuntimeException e) {
            bug("onRequest", exchange, e);
            exchange.status(500);
            exchange.responseHeaders().clear().set(HttpHeaderNames.CONTENT_TYPE, ErrorResponses.CONTENT_TYPE);
            exchange.output().reset();
            exchange.output().writeBytes(ErrorResponses.body(500, exchange.requestId()));
            return Verdict.RESPOND;
        }
    }

    @Override
    public void onResponseHead(Exchange exchange) {
        try {
            delegate.onResponseHead(exchange);
        } catch (RuntimeException e) {
            bug("onResponseHead", exchange, e);
        }
    }

    @Override
    public boolean filtersBody(Exchange exchange) {
        try {
            return delegate.filtersBody(exchange);
        } catch (RuntimeException e) {
            bug("filtersBody", exchange, e);
            return false;
        }
    }

    @Override
    public byte[] onResponseBody(Exchange exchange, byte[] chunk, boolean last) {
        try {
            return delegate.onResponseBody(exchange, chunk, last);
        } catch (RuntimeException e) {
            bug("onResponseBody", exchange, e);
            return chunk;
        }
    }

    @Override
    public void onLog(Exchange exchange) {
        try {
            delegate.onLog(exchange);
        } catch (RuntimeException e) {
            bug("onLog", exchange, e);
        }
    }

    private static void bug(String where, Exchange exchange, RuntimeException e) {
        LOG.error("pipeline {} threw (request_id={})", where, exchange.requestId(), e);
    }
}
