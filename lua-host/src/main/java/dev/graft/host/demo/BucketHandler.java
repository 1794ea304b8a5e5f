package dev.graft.host.demo;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/**
 * The bucket origin, object-store-like: {@code GET}/{@code HEAD /<bucket>/<key>} serve an
 * object with ETag and Last-Modified ({@code If-None-Match} gives 304), {@code PUT} stores one;
 * a missing object is a 404 with an S3-style XML error. The query string is ignored.
 */
public final class BucketHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private final String name;
    private final BucketStore store;
    private final Clock clock;

    public BucketHandler(String name, BucketStore store, Clock clock) {
        this.name = requireNonNull(name, "name");
        this.store = requireNonNull(store, "store");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        FullHttpResponse response = answer(request);
        response.headers().set("X-Bucket-Server", name);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        if (request.method().equals(HttpMethod.HEAD)) {
            response = response.replace(Unpooled.EMPTY_BUFFER);
        }
        if (HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess()) {
            if (!request.protocolVersion().isKeepAliveDefault()) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private FullHttpResponse answer(FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            return error(request, HttpResponseStatus.BAD_REQUEST, "BadRequest", "");
        }
        String uri = request.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        HttpMethod m = request.method();
        if (m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD)) {
            Optional<BucketStore.StoredObject> found = store.get(path);
            if (found.isEmpty()) {
                return error(request, HttpResponseStatus.NOT_FOUND, "NoSuchKey", path);
            }
            BucketStore.StoredObject o = found.get();
            String inm = request.headers().get(HttpHeaderNames.IF_NONE_MATCH);
            boolean notModified = inm != null && (inm.trim().equals("*") || matches(inm, o.etag()));
            FullHttpResponse r = new DefaultFullHttpResponse(request.protocolVersion(),
                    notModified ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
                    notModified ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(o.body()));
            r.headers().set(HttpHeaderNames.ETAG, o.etag());
            r.headers().set(HttpHeaderNames.LAST_MODIFIED, o.lastModified());
            if (!notModified) {
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, o.contentType());
            }
            return r;
        }
        if (m.equals(HttpMethod.PUT)) {
            if (path.length() < 4 || path.indexOf('/', 1) < 2 || path.endsWith("/")) {
                return error(request, HttpResponseStatus.BAD_REQUEST, "InvalidObjectName", path);
            }
            String type = Optional.ofNullable(request.headers().get(HttpHeaderNames.CONTENT_TYPE))
                    .orElse("application/octet-stream");
            return switch (store.put(path, ByteBufUtil.getBytes(request.content()), type, clock.instant())) {
                case BucketStore.PutResult.Stored s -> {
                    FullHttpResponse r = new DefaultFullHttpResponse(request.protocolVersion(),
                            HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER);
                    r.headers().set(HttpHeaderNames.ETAG, s.object().etag());
                    yield r;
                }
                case BucketStore.PutResult.TooLarge t ->
                        error(request, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "EntityTooLarge", path);
                case BucketStore.PutResult.Full f ->
                        error(request, HttpResponseStatus.INSUFFICIENT_STORAGE, "BucketFull", path);
            };
        }
        FullHttpResponse r = error(request, HttpResponseStatus.METHOD_NOT_ALLOWED, "MethodNotAllowed", path);
        r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD, PUT");
        return r;
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static FullHttpResponse error(FullHttpRequest request, HttpResponseStatus status, String code, String key) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Key>"
                + escape(key) + "</Key></Error>\n";
        FullHttpResponse r = new DefaultFullHttpResponse(request.protocolVersion(), status,
                Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/xml");
        return r;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
