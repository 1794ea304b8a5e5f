package dev.graft.bridge.regex;

import static java.util.Objects.requireNonNull;

/**
 * The chars and the adjacent char pairs of one subject, ASCII-lower-cased and hashed into a
 * 1280-bit set: built once per value, it lets every {@link LiteralPrefilter} that looks at the
 * value reject it in a few bit tests when no literal of a clause can be there (a literal present
 * in the subject has all its chars, or all its pairs, in the set; a hash collision only lets a
 * subject through to the exact scan). For callers that run many patterns on one value, as a
 * WAF does.
 *
 * <p>Immutable once built.
 */
public final class TextSketch {

    static final int CHAR_BITS = 256;
    static final int PAIR_BITS = 1024;
    static final int WORDS = (CHAR_BITS + PAIR_BITS) / 64;

    private final long[] bits = new long[WORDS];
    /** Bit w set when word w of {@code bits} is not zero. */
    private long nonEmpty;

    private TextSketch() {}

    /** The sketch of a string. */
    public static TextSketch of(String s) {
        requireNonNull(s, "s");
        TextSketch t = new TextSketch();
        long[] b = t.bits;
        int prev = -1;
        for (int i = 0, n = s.length(); i < n; i++) {
            int c = lower(s.charAt(i));
            set(b, charBit(c));
            if (prev >= 0) {
                set(b, pairBit(prev, c));
            }
            prev = c;
        }
        t.summarize();
        return t;
    }

    /** The sketch of {@code length} bytes at {@code offset}, one char per byte. */
    public static TextSketch ofLatin1(byte[] bytes, int offset, int length) {
        requireNonNull(bytes, "bytes");
        TextSketch t = new TextSketch();
        long[] b = t.bits;
        int prev = -1;
        for (int i = 0; i < length; i++) {
            int c = lower((char) (bytes[offset + i] & 0xFF));
            set(b, charBit(c));
            if (prev >= 0) {
                set(b, pairBit(prev, c));
            }
            prev = c;
        }
        t.summarize();
        return t;
    }

    /** The sketch of the first {@code length} chars of {@code chars}. */
    public static TextSketch of(char[] chars, int length) {
        requireNonNull(chars, "chars");
        TextSketch t = new TextSketch();
        long[] b = t.bits;
        int prev = -1;
        for (int i = 0; i < length; i++) {
            int c = lower(chars[i]);
            set(b, charBit(c));
            if (prev >= 0) {
                set(b, pairBit(prev, c));
            }
            prev = c;
        }
        t.summarize();
        return t;
    }

    private void summarize() {
        long m = 0;
        for (int w = 0; w < WORDS; w++) {
            m |= bits[w] != 0 ? 1L << w : 0;
        }
        nonEmpty = m;
    }

    /** Bit w set when word w has a bit set. */
    long nonEmptyWords() {
        return nonEmpty;
    }

    private static int lower(char c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    private static void set(long[] b, int bit) {
        b[bit >>> 6] |= 1L << bit;
    }

    /** The bit of a (lower-cased) char: chars over 255 share bits with lower ones, which is safe. */
    static int charBit(int c) {
        return c & (CHAR_BITS - 1);
    }

    /** The bit of a pair of (lower-cased) chars. */
    static int pairBit(int a, int b) {
        int h = ((a << 16) | b) * 0x9E3779B1;
        return CHAR_BITS + (h >>> 22);
    }

    /** Word {@code w} of the bit set. */
    long word(int w) {
        return bits[w];
    }

    /** Whether {@code bit} (from {@link #charBit} or {@link #pairBit}) is set. */
    boolean has(int bit) {
        return (bits[bit >>> 6] & (1L << bit)) != 0;
    }
}
