package dev.graft.host.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * A small origin server for end-to-end tests, on its own event loop. Paths:
 * <ul>
 *   <li>{@code /echo...}: answers with the request it got (method, target, headers, body) as text</li>
 *   <li>{@code /upload}: counts and checksums the body, answers {@code bytes=N crc=X}</li>
 *   <li>{@code /download?n=N[&chunked]}: streams N bytes of {@link #pattern}, honouring backpressure</li>
 *   <li>{@code /silent}: never answers</li>
 *   <li>{@code /reset}: sends a head promising more than it sends, then resets the connection</li>
 *   <li>{@code /status/NNN}: answers with that status</li>
 *   <li>{@code /close}: answers and closes the connection</li>
 *   <li>{@code /early}: answers before reading the body</li>
 *   <li>{@code /garbage}: answers with bytes that are not HTTP</li>
 * </ul>
 */
final class TestOrigin implements AutoCloseable {

    static final int PATTERN_SIZE = 64 * 1024;

    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    /** Each request head as text: "METHOD target\nname: value\n...". */
    final ConcurrentLinkedQueue<String> heads = new ConcurrentLinkedQueue<>();

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel listener;

    TestOrigin() {
        listener = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.incrementAndGet();
                        ch.pipeline().addLast(new HttpServerCodec(), new OriginHandler());
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    static byte pattern(long index) {
        int i = (int) (index % PATTERN_SIZE);
        return (byte) (i * 31 + (i >>> 8));
    }

    static ByteBuf patternBuffer() {
        ByteBuf buf = Unpooled.buffer(PATTERN_SIZE);
        for (int i = 0; i < PATTERN_SIZE; i++) {
            buf.writeByte(pattern(i));
        }
        return Unpooled.unreleasableBuffer(buf);
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class OriginHandler extends ChannelInboundHandlerAdapter {
        private final ByteBuf pattern = patternBuffer();
        private HttpRequest request;
        private String path = "";
        private long bodyBytes;
        private final CRC32 crc = new CRC32();
        private final StringBuilder smallBody = new StringBuilder();
        private long downloadLeft;
        private long downloadOffset;
        private boolean downloadChunked;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest req) {
                request = req;
                requests.incrementAndGet();
                StringBuilder head = new StringBuilder(req.method() + " " + req.uri() + "\n");
                for (Map.Entry<String, String> h : req.headers()) {
                    head.append(h.getKey().toLowerCase()).append(": ").append(h.getValue()).append('\n');
                }
                heads.add(head.toString());
                path = new QueryStringDecoder(req.uri()).path();
                bodyBytes = 0;
                crc.reset();
                smallBody.setLength(0);
                onHead(ctx, req);
            }
            if (msg instanceof HttpContent content) {
                ByteBuf buf = content.content();
                bodyBytes += buf.readableBytes();
                if (path.equals("/upload")) {
                    if (buf.hasArray()) {
                        crc.update(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
                    } else {
                        crc.update(buf.nioBuffer());
                    }
                } else if (smallBody.length() < 65536) {
                    smallBody.append(buf.toString(StandardCharsets.ISO_8859_1));
                }
                boolean last = msg instanceof LastHttpContent;
                content.release();
                if (last) {
                    onEnd(ctx);
                }
            }
        }

        private void onHead(ChannelHandlerContext ctx, HttpRequest req) {
            switch (path) {
                case "/early" -> respond(ctx, HttpResponseStatus.OK, "early");
                case "/reset" -> {
                    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                    head.headers().set(HttpHeaderNames.CONTENT_LENGTH, 100_000);
                    ctx.write(head);
                    ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[10]))).addListener(f -> {
                        ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                        ctx.close();
                    });
                }
                case "/garbage" -> {
                    ctx.pipeline().remove(HttpServerCodec.class);
                    ctx.writeAndFlush(Unpooled.copiedBuffer("NOT HTTP AT ALL\r\n\r\n", StandardCharsets.US_ASCII))
                            .addListener(ChannelFutureListener.CLOSE);
                }
                default -> {}
            }
        }

        private void onEnd(ChannelHandlerContext ctx) {
            HttpRequest req = request;
            if (path.equals("/echo") || path.startsWith("/echo/")) {
                String text = heads.isEmpty() ? "" : lastHead() + "body-bytes: " + bodyBytes + "\n\n" + smallBody;
                respond(ctx, HttpResponseStatus.OK, text);
            } else if (path.equals("/upload")) {
                respond(ctx, HttpResponseStatus.OK, "bytes=" + bodyBytes + " crc=" + Long.toHexString(crc.getValue()));
            } else if (path.equals("/download")) {
                QueryStringDecoder query = new QueryStringDecoder(req.uri());
                downloadLeft = Long.parseLong(query.parameters().get("n").get(0));
                downloadOffset = 0;
                downloadChunked = query.parameters().containsKey("chunked");
                HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                if (downloadChunked) {
                    HttpUtil.setTransferEncodingChunked(head, true);
                } else {
                    HttpUtil.setContentLength(head, downloadLeft);
                }
                ctx.write(head);
                pump(ctx);
            } else if (path.startsWith("/status/")) {
                int code = Integer.parseInt(path.substring("/status/".length()));
                respond(ctx, HttpResponseStatus.valueOf(code), code == 204 || code == 304 ? "" : "status " + code);
            } else if (path.equals("/close")) {
                FullHttpResponse response = full(HttpResponseStatus.OK, "closing");
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            } else if (path.equals("/silent") || path.equals("/early") || path.equals("/reset") || path.equals("/garbage")) {
                // answered at the head, or never
            } else {
                respond(ctx, HttpResponseStatus.NOT_FOUND, "no route " + path);
            }
        }

        private String lastHead() {
            String last = null;
            for (String h : heads) {
                last = h;
            }
            return last;
        }

        private void pump(ChannelHandlerContext ctx) {
            while (downloadLeft > 0 && ctx.channel().isWritable()) {
                int offset = (int) (downloadOffset % PATTERN_SIZE);
                int n = (int) Math.min(downloadLeft, PATTERN_SIZE - offset);
                ctx.write(new DefaultHttpContent(pattern.retainedSlice(offset, n)));
                downloadLeft -= n;
                downloadOffset += n;
            }
            if (downloadLeft == 0 && downloadOffset > 0) {
                downloadOffset = 0;
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            } else {
                ctx.flush();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && downloadLeft > 0) {
                pump(ctx);
            }
        }

        private void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String body) {
            ctx.writeAndFlush(full(status, body));
        }

        private FullHttpResponse full(HttpResponseStatus status, String body) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(body, StandardCharsets.ISO_8859_1));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            response.headers().set("X-Origin", "test");
            if (status.code() != 204 && status.code() != 304) {
                HttpUtil.setContentLength(response, body.length());
            }
            return response;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
