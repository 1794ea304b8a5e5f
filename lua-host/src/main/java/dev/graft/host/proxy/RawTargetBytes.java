package dev.graft.host.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Puts a request target's own bytes on the wire when they are not valid UTF-8: Netty's request
 * encoder writes the target as UTF-8, so such a request is encoded with an ASCII placeholder of
 * the same length, and this handler (below the codec) writes the real bytes over it in the
 * encoded head. nginx passes any byte of {@code $request_uri} through; so does Graft.
 *
 * <p>Only requests built as {@link Request} arm it; every other write passes untouched.
 */
final class RawTargetBytes extends ChannelOutboundHandlerAdapter {

    /** A request head whose target is {@code raw} (one placeholder char per byte in {@link #uri()}). */
    static final class Request extends DefaultHttpRequest {
        final byte[] raw;

        Request(HttpVersion version, HttpMethod method, String placeholder, HttpHeaders headers, byte[] raw) {
            super(version, method, placeholder, headers);
            this.raw = raw;
        }
    }

    private byte[] pending;
    private int offset;

    /** Arms the channel's handler for {@code head} when it carries raw target bytes; returns {@code head}. */
    static HttpRequest prepare(Channel ch, HttpRequest head) {
        if (head instanceof Request r) {
            RawTargetBytes h = ch.pipeline().get(RawTargetBytes.class);
            if (h != null) {
                h.pending = r.raw;
                h.offset = r.method().asciiName().length() + 1;
            }
        }
        return head;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        byte[] raw = pending;
        if (raw != null && msg instanceof ByteBuf buf && buf.readableBytes() >= offset + raw.length) {
            // the first buffer after arming is the encoded head: METHOD SP placeholder SP ...
            pending = null;
            buf.setBytes(buf.readerIndex() + offset, raw);
        }
        ctx.write(msg, promise);
    }
}
