package dev.graft.host.proxy;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * A request body read whole for the stages, up to a limit. Grows by doubling from the declared
 * length (when known), so a body is copied once from the socket buffers, plus at most one trim.
 */
final class BodyBuffer {

    private byte[] bytes;
    private int length;

    BodyBuffer(long declaredLength) {
        this.bytes = new byte[(int) Math.max(0, Math.min(declaredLength, 64 * 1024))];
    }

    /** Appends {@code content}; false (and nothing appended) when the total would pass {@code max}. */
    boolean append(ByteBuf content, long max) {
        int n = content.readableBytes();
        if ((long) length + n > max) {
            return false;
        }
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(max, Math.max((long) bytes.length * 2, length + n)));
        }
        content.getBytes(content.readerIndex(), bytes, length, n);
        length += n;
        return true;
    }

    byte[] toArray() {
        return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
    }
}
