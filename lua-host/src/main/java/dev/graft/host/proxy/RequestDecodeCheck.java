package dev.graft.host.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

/**
 * Turns what {@code HttpServerCodec} could not decode into a {@link RequestRejection}: a request
 * line over the limit is 414, a header block over the limit or with too many fields is 494
 * (nginx's "Request Header Or Cookie Too Large", sent as 400),
 * anything else malformed (bad request line, bad header, bad chunk) is 400. Netty records such
 * failures on the message's {@link DecoderResult}; this handler reads them so the frontend only
 * ever sees well-formed requests.
 */
final class RequestDecodeCheck extends ChannelInboundHandlerAdapter {

    private final int maxHeaderCount;
    private boolean failed;

    RequestDecodeCheck(int maxHeaderCount) {
        this.maxHeaderCount = maxHeaderCount;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (failed) {
            // The decoder discards input after a failure; anything still arriving is noise.
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpObject object && object.decoderResult().isFailure()) {
            Throwable cause = object.decoderResult().cause();
            ReferenceCountUtil.release(msg);
            reject(ctx, new RequestRejection(statusFor(cause), String.valueOf(cause.getMessage())));
            return;
        }
        if (msg instanceof HttpRequest request && request.headers().size() > maxHeaderCount) {
            int count = request.headers().size();
            ReferenceCountUtil.release(msg);
            reject(ctx, new RequestRejection(494, "headers: " + count + " fields (expected: at most " + maxHeaderCount + ")"));
            return;
        }
        if (msg instanceof RequestRejection) {
            failed = true;
        }
        ctx.fireChannelRead(msg);
    }

    private void reject(ChannelHandlerContext ctx, RequestRejection rejection) {
        failed = true;
        ctx.fireChannelRead(rejection);
    }

    static int statusFor(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return 414;
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return 494;
        }
        return 400;
    }
}
