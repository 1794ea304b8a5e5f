package dev.graft.host.demo;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The echo origin: answers every request with what it received, as JSON:
 * {@code {"server", "method", "path", "http_version", "headers", "body", "body_bytes"}}.
 * {@code path} is the request target exactly as received; header names are lower-cased and a
 * repeated header becomes a list. The body streams through: every byte is counted, only the
 * first 64 KiB are echoed, so large uploads cost no memory.
 */
public final class EchoHandler extends ChannelInboundHandlerAdapter {

    /** How much of a body is echoed back; the rest is only counted. */
    public static final int ECHOED_BODY_BYTES = 64 * 1024;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String name;
    private HttpRequest head;
    private long bodyBytes;
    private final ByteArrayOutputStream echoed = new ByteArrayOutputStream();

    public EchoHandler(String name) {
        this.name = requireNonNull(name, "name");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest request) {
                head = request;
                bodyBytes = 0;
                echoed.reset();
                if (!request.decoderResult().isSuccess()) {
                    FullHttpResponse bad = new DefaultFullHttpResponse(request.protocolVersion(),
                            HttpResponseStatus.BAD_REQUEST, Unpooled.EMPTY_BUFFER);
                    bad.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
                    bad.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                    ctx.writeAndFlush(bad).addListener(ChannelFutureListener.CLOSE);
                    head = null;
                    return;
                }
            }
            if (msg instanceof HttpContent content && head != null) {
                ByteBuf buf = content.content();
                int n = buf.readableBytes();
                bodyBytes += n;
                int room = ECHOED_BODY_BYTES - echoed.size();
                if (room > 0 && n > 0) {
                    byte[] part = new byte[Math.min(room, n)];
                    buf.getBytes(buf.readerIndex(), part);
                    echoed.writeBytes(part);
                }
                if (msg instanceof LastHttpContent) {
                    respond(ctx);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void respond(ChannelHandlerContext ctx) {
        HttpRequest request = head;
        head = null;
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(document(request));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serialises", e);
        }
        boolean isHead = request.method().equals(HttpMethod.HEAD);
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.OK,
                isHead ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(json));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            if (!request.protocolVersion().isKeepAliveDefault()) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.writeAndFlush(response);
        }
    }

    private ObjectNode document(HttpRequest request) {
        ObjectNode o = JSON.createObjectNode();
        o.put("server", name);
        o.put("method", request.method().name());
        o.put("path", request.uri());
        o.put("http_version", request.protocolVersion().text());
        ObjectNode headers = o.putObject("headers");
        for (Map.Entry<String, String> h : request.headers()) {
            String key = h.getKey().toLowerCase(Locale.ROOT);
            var existing = headers.get(key);
            if (existing == null) {
                headers.put(key, h.getValue());
            } else if (existing.isArray()) {
                ((ArrayNode) existing).add(h.getValue());
            } else {
                ArrayNode list = headers.putArray(key);
                list.add(existing.textValue());
                list.add(h.getValue());
            }
        }
        o.put("body", echoed.toString(StandardCharsets.UTF_8));
        o.put("body_bytes", bodyBytes);
        return o;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
