package dev.graft.host.proxy;

import dev.graft.host.exchange.RequestPipeline;
import io.netty.channel.EventLoop;

/**
 * Makes the {@link RequestPipeline} of one event loop, like one Lua VM per nginx worker. Called
 * once per event loop, on that loop's thread, while {@link ProxyServer#start} runs; the pipeline
 * is then only ever used from that thread. An exception thrown here fails the start.
 */
@FunctionalInterface
public interface PipelineFactory {
    RequestPipeline create(EventLoop loop);
}
