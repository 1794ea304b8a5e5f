package dev.graft.host.admin;

import static java.util.Objects.requireNonNull;

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
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Answers admin requests (aggregated by the pipeline before it) from an {@link AdminRouter}.
 * Mutating routes need {@code Authorization: Bearer <token>}; with no token configured they
 * are refused outright, so an admin port opened by mistake cannot change anything.
 */
public final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    /** Set by this handler on every request (a client's own value is replaced): the caller's address, for audits. */
    public static final String REMOTE_HEADER = "X-Graft-Admin-Remote";

    private final AdminRouter router;
    private final byte[] token;

    public AdminHandler(AdminRouter router, String token) {
        this.router = requireNonNull(router, "router");
        this.token = requireNonNull(token, "token").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        request.headers().set(REMOTE_HEADER, String.valueOf(ctx.channel().remoteAddress()));
        AdminResponse answer = answer(request);
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(),
                HttpResponseStatus.valueOf(answer.status()),
                request.method().equals(HttpMethod.HEAD) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(answer.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        if (answer.status() == 401) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        }
        if (answer.status() == 405) {
            response.headers().set(HttpHeaderNames.ALLOW, router.allowed(path(request)));
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (keepAlive) {
            if (!request.protocolVersion().isKeepAliveDefault()) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private AdminResponse answer(FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            return AdminResponse.error(400, "bad request");
        }
        String path = path(request);
        Optional<AdminRoute> route = router.find(request.method(), path);
        if (route.isEmpty()) {
            return router.allowed(path).isEmpty()
                    ? AdminResponse.error(404, "no admin endpoint " + path)
                    : AdminResponse.error(405, request.method() + " not allowed on " + path);
        }
        if (route.get().mutating()) {
            if (token.length == 0) {
                return AdminResponse.error(403, "mutating admin calls are off: the config sets no admin.token");
            }
            if (!authorized(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
                return AdminResponse.error(401, "Authorization: Bearer <admin.token> required");
            }
        }
        return route.get().endpoint().handle(request);
    }

    private boolean authorized(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token);
    }

    private static String path(FullHttpRequest request) {
        return new QueryStringDecoder(request.uri()).path();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
