/**
 * The HTTP/1.1 reverse proxy: Netty on epoll (NIO where epoll does not load), keep-alive on both
 * sides, bodies streamed with backpressure, the stages run through a
 * {@link dev.graft.host.exchange.RequestPipeline} per event loop.
 *
 * <h2>Entry point</h2>
 * {@link dev.graft.host.proxy.ProxyServer#start(dev.graft.host.config.GraftConfig,
 * dev.graft.host.proxy.PipelineFactory, dev.graft.host.admin.GraftMetrics)}; the handle gives
 * {@code port()}, {@code reload(config, pipelines, metrics)} (soft reload: the next request of
 * each connection uses the new config and pipelines), {@code stopAccepting()},
 * {@code drain(Duration)} (graceful restart) and {@code close()}.
 *
 * <h2>A client connection's pipeline</h2>
 * <table>
 *   <caption>handlers, in the order bytes meet them</caption>
 *   <tr><th>handler</th><th>role</th></tr>
 *   <tr><td>{@code IdleStateHandler}</td><td>client idle timeout ({@code limits.clientIdleTimeoutMs})</td></tr>
 *   <tr><td>{@link dev.graft.host.proxy.HttpRequestGuard}</td><td>raw-byte checks Netty's decoder
 *       tolerates: bare CR/LF, obs-fold, CL+TE, duplicate/invalid CL, TE other than chunked, chunk
 *       framing; frames requests itself so pipelined heads are checked too</td></tr>
 *   <tr><td>{@code HttpServerCodec}</td><td>decoding with the configured line and header limits</td></tr>
 *   <tr><td>{@link dev.graft.host.proxy.RequestDecodeCheck}</td><td>decoder failures to 400/414/494,
 *       header count limit</td></tr>
 *   <tr><td>{@link dev.graft.host.proxy.ProxyFrontendHandler}</td><td>exchange, request phases,
 *       local responses, filters, log, keep-alive, pipelining queue</td></tr>
 * </table>
 *
 * <h2>Upstream side</h2>
 * {@link dev.graft.host.proxy.UpstreamCall} (one request's trip), {@link
 * dev.graft.host.proxy.UpstreamPool} (keep-alive connections per origin server per event loop),
 * {@link dev.graft.host.proxy.UpstreamHandler} (response relay, read timeout, idle expiry),
 * {@link dev.graft.host.proxy.WeightedPicker} (smooth weighted round robin).
 *
 * <h2>Pure parts</h2>
 * {@link dev.graft.host.proxy.UriNormalizer} ({@code $uri} as nginx computes it), {@link
 * dev.graft.host.proxy.UriEscaper} (NGX_ESCAPE_URI), {@link dev.graft.host.proxy.RequestIds},
 * {@link dev.graft.host.proxy.HopByHopHeaders}, {@link dev.graft.host.proxy.UpstreamRequests},
 * {@link dev.graft.host.proxy.ClientResponses}, {@link dev.graft.host.proxy.ErrorResponses}.
 */
package dev.graft.host.proxy;
