package dev.graft.host.proxy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids in the shape of nginx's {@code $request_id}: 32 lowercase hex characters, 128
 * random bits. Cheap: two random longs from the thread's generator, no locks, no formatting.
 */
final class RequestIds {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private RequestIds() {}

    static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[] out = new byte[32];
        fill(out, 0, random.nextLong());
        fill(out, 16, random.nextLong());
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    private static void fill(byte[] out, int at, long bits) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = HEX[(int) (bits & 0xF)];
            bits >>>= 4;
        }
    }
}
