package dev.graft.modules.normalize;

import java.util.Optional;

/**
 * The pure path transformations of normalize, on byte-per-char strings: each is the Lua
 * function of the same name, with the same quirks (a malformed escape is left alone by the
 * decoders; "%" is searched for as in {@code string.gsub("%%(%x%x)")}).
 */
final class TargetPath {

    private TargetPath() {}

    /** Why a path's escapes are refused, or empty: a NUL byte, a malformed or an encoded NUL escape. */
    static Optional<String> checkEscapes(String path) {
        if (path.indexOf('\0') >= 0) {
            return Optional.of("NUL byte");
        }
        int pos = 0;
        while (true) {
            int p = path.indexOf('%', pos);
            if (p < 0) {
                return Optional.empty();
            }
            if (p + 2 >= path.length() || !isHex(path.charAt(p + 1)) || !isHex(path.charAt(p + 2))) {
                return Optional.of("malformed percent-encoding");
            }
            if (path.charAt(p + 1) == '0' && path.charAt(p + 2) == '0') {
                return Optional.of("encoded NUL byte");
            }
            pos = p + 3;
        }
    }

    /** Decodes escapes of unreserved characters; the escapes left get upper-case hex. */
    static String decodeUnreserved(String path) {
        return decode(path, false);
    }

    /** Decodes every well-formed escape. */
    static String unescape(String path) {
        return decode(path, true);
    }

    private static String decode(String path, boolean all) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        StringBuilder out = new StringBuilder(path.length());
        int i = 0;
        int n = path.length();
        while (i < n) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < n && isHex(path.charAt(i + 1)) && isHex(path.charAt(i + 2))) {
                int b = Character.digit(path.charAt(i + 1), 16) * 16 + Character.digit(path.charAt(i + 2), 16);
                if (all || unreserved(b)) {
                    out.append((char) b);
                } else {
                    out.append('%').append(upper(path.charAt(i + 1))).append(upper(path.charAt(i + 2)));
                }
                i += 3;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Folds every run of '/' into one. */
    static String mergeSlashes(String path) {
        if (!path.contains("//")) {
            return path;
        }
        StringBuilder out = new StringBuilder(path.length());
        char prev = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c != '/' || prev != '/') {
                out.append(c);
            }
            prev = c;
        }
        return out.toString();
    }

    /**
     * The result of dot-segment removal.
     *
     * @param path  the path without dot segments
     * @param above whether a ".." climbed above the root (and was dropped)
     */
    record DotsRemoved(String path, boolean above) {}

    /** RFC 3986 5.2.4 on an absolute path, exactly as the Lua module does it. */
    static DotsRemoved removeDotSegments(String path) {
        if (!path.contains("/.")) {
            return new DotsRemoved(path, false);
        }
        boolean above = false;
        java.util.ArrayList<String> segs = new java.util.ArrayList<>();
        int start = 1;
        while (true) {
            int slash = path.indexOf('/', start);
            String seg = path.substring(start, slash < 0 ? path.length() : slash);
            if (seg.equals(".")) {
                if (slash < 0) {
                    segs.add("");
                }
            } else if (seg.equals("..")) {
                if (!segs.isEmpty()) {
                    segs.remove(segs.size() - 1);
                } else {
                    above = true;
                }
                if (slash < 0) {
                    segs.add("");
                }
            } else {
                segs.add(seg);
            }
            if (slash < 0) {
                break;
            }
            start = slash + 1;
        }
        return new DotsRemoved("/" + String.join("/", segs), above);
    }

    /** Whether a decoded path has a "." or ".." segment ("/./", "/../", or one at the end). */
    static boolean hasDotSegment(String decoded) {
        int i = decoded.indexOf("/.");
        while (i >= 0) {
            int j = i + 2;
            if (j < decoded.length() && decoded.charAt(j) == '.') {
                j++;
            }
            if (j == decoded.length() || decoded.charAt(j) == '/') {
                return true;
            }
            i = decoded.indexOf("/.", i + 1);
        }
        return false;
    }

    private static boolean unreserved(int b) {
        return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z')
                || b == '-' || b == '.' || b == '_' || b == '~';
    }

    static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static char upper(char c) {
        return c >= 'a' && c <= 'z' ? (char) (c - 32) : c;
    }
}
