package dev.graft.modules.cache;

/** Byte-per-char text helpers shared by the rules: ASCII lower case and path re-escaping. */
final class PathText {

    private PathText() {}

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** A-Z to a-z, other bytes as they are (Lua's string.lower in the C locale). */
    static String asciiLower(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) {
                    out = new StringBuilder(s);
                }
                out.setCharAt(i, (char) (c + 32));
            }
        }
        return out == null ? s : out.toString();
    }

    /** Percent-encodes every byte but {@code A-Z a-z 0-9 - . _ ~ / ! $ & ' ( ) * + , ; = : @}. */
    static String escapePath(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (kept(c)) {
                if (out != null) {
                    out.append(c);
                }
            } else {
                if (out == null) {
                    out = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                int b = c & 0xFF;
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
            }
        }
        return out == null ? s : out.toString();
    }

    private static boolean kept(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || "-._~/!$&'()*+,;=:@".indexOf(c) >= 0;
    }
}
