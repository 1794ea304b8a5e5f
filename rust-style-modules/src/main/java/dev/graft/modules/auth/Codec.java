package dev.graft.modules.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * The encodings auth needs, as legacy-scripts/auth/codec.lua and ngx give them: lower-case hex,
 * base64url without padding, a compare whose time depends only on the length, and nginx's
 * base64 decoder (input ends at the first '=', a length of 4n+1 is refused).
 */
final class Codec {

    private Codec() {}

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    static String hex(byte[] bin) {
        char[] out = new char[bin.length * 2];
        for (int i = 0; i < bin.length; i++) {
            out[2 * i] = HEX[(bin[i] >> 4) & 15];
            out[2 * i + 1] = HEX[bin[i] & 15];
        }
        return new String(out);
    }

    static String base64url(byte[] bin) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bin);
    }

    /** codec.equal: same bytes, in time that depends only on the length. */
    static boolean equal(String a, String b) {
        return a.length() == b.length()
                && MessageDigest.isEqual(a.getBytes(StandardCharsets.ISO_8859_1), b.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '+' ? 62 : c == '/' ? 63 : -1;
    }

    /** ngx.decode_base64: the bytes (one char each), or empty when nginx refuses the input. */
    static Optional<String> decodeBase64(String s) {
        int len = 0;
        while (len < s.length()) {
            char c = s.charAt(len);
            if (c == '=') {
                break;
            }
            if (value(c) < 0) {
                return Optional.empty();
            }
            len++;
        }
        if (len % 4 == 1) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder(len * 3 / 4);
        int i = 0;
        while (len - i > 3) {
            int n = (value(s.charAt(i)) << 18) | (value(s.charAt(i + 1)) << 12) | (value(s.charAt(i + 2)) << 6)
                    | value(s.charAt(i + 3));
            out.append((char) ((n >> 16) & 0xff)).append((char) ((n >> 8) & 0xff)).append((char) (n & 0xff));
            i += 4;
        }
        if (len - i > 1) {
            out.append((char) (((value(s.charAt(i)) << 2) | (value(s.charAt(i + 1)) >> 4)) & 0xff));
        }
        if (len - i > 2) {
            out.append((char) (((value(s.charAt(i + 1)) << 4) | (value(s.charAt(i + 2)) >> 2)) & 0xff));
        }
        return Optional.of(out.toString());
    }
}
