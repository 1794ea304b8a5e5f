package dev.graft.host.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Computes {@code $uri} and {@code $args} from a request target the way nginx does: the path
 * is percent-decoded, duplicate slashes are merged, {@code .} and {@code ..} segments are
 * resolved. A {@code ..} above the root, a decoded NUL byte and a broken {@code %} escape make
 * the request invalid (nginx answers 400). A decoded {@code %2F} or {@code %2E} acts as a
 * slash or a dot, as in nginx's complex-URI parser.
 *
 * <p>Netty hands the request line over as ISO-8859-1, so each {@code char} of the target is one
 * byte; the decoded path is kept the same way (one char per byte, ISO-8859-1), never read as
 * UTF-8: nginx's {@code $uri} is a byte string, and invalid UTF-8 must survive to the upstream.
 */
final class UriNormalizer {

    /** The result of normalising a request target. */
    sealed interface Result permits Normalized, Rejected {}

    /** {@code uri} is the normalised path; {@code args} the raw query string, if any. */
    record Normalized(String uri, Optional<String> args) implements Result {}

    /** The target is invalid; {@code reason} says why. */
    record Rejected(String reason) implements Result {}

    private UriNormalizer() {}

    static Result normalize(String target) {
        String path = target;
        int authority = absoluteForm(path);
        if (authority > 0) {
            // Absolute form (any scheme, as nginx's parser): the authority is not part of $uri;
            // a query may follow it directly ("http://h?x=1" is "/" with args "x=1").
            int end = authority;
            while (end < path.length() && path.charAt(end) != '/' && path.charAt(end) != '?') {
                end++;
            }
            path = end == path.length() ? "/" : path.charAt(end) == '?' ? "/" + path.substring(end) : path.substring(end);
        }
        if (path.isEmpty() || path.charAt(0) != '/') {
            return new Rejected("target: " + abbreviate(target) + " (expected: a path starting with '/')");
        }
        Optional<String> args = Optional.empty();
        int question = path.indexOf('?');
        if (question >= 0) {
            String query = path.substring(question + 1);
            args = query.isEmpty() ? Optional.empty() : Optional.of(query);
            path = path.substring(0, question);
        }
        int hash = path.indexOf('#');
        if (hash >= 0) {
            path = path.substring(0, hash);
        }
        return needsWork(path) ? decode(path, args) : new Normalized(path, args);
    }

    /** The common case (plain ASCII, no escapes, no empty or dot segments) is returned as is. */
    private static boolean needsWork(String path) {
        char previous = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' || c >= 0x80 || (previous == '/' && (c == '/' || c == '.'))) {
                return true;
            }
            previous = c;
        }
        return false;
    }

    private static Result decode(String path, Optional<String> args) {
        byte[] out = new byte[path.length()];
        int length = 0;
        int segmentStart = 0;
        int i = 0;
        while (i <= path.length()) {
            int b;
            if (i == path.length()) {
                b = -1;
                i++;
            } else if (path.charAt(i) == '%') {
                int high = i + 1 < path.length() ? hexValue(path.charAt(i + 1)) : -1;
                int low = i + 2 < path.length() ? hexValue(path.charAt(i + 2)) : -1;
                if (high < 0 || low < 0) {
                    return new Rejected("target: " + abbreviate(path) + " (expected: '%' followed by two hex digits)");
                }
                b = high << 4 | low;
                if (b == 0) {
                    return new Rejected("target: " + abbreviate(path) + " (expected: no encoded NUL)");
                }
                i += 3;
            } else {
                b = path.charAt(i) & 0xFF;
                i++;
            }
            if (b == '/' || b == -1) {
                int segment = length - segmentStart;
                if (segment == 1 && out[segmentStart] == '.') {
                    length = segmentStart;
                } else if (segment == 2 && out[segmentStart] == '.' && out[segmentStart + 1] == '.') {
                    if (segmentStart <= 1) {
                        return new Rejected("target: " + abbreviate(path) + " (expected: no '..' above the root)");
                    }
                    int previousSlash = segmentStart - 2;
                    while (out[previousSlash] != '/') {
                        previousSlash--;
                    }
                    length = previousSlash + 1;
                }
                if (b == '/' && (length == 0 || out[length - 1] != '/')) {
                    out[length++] = '/';
                }
                segmentStart = length;
            } else {
                out[length++] = (byte) b;
            }
        }
        return new Normalized(new String(out, 0, length, StandardCharsets.ISO_8859_1), args);
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char lower = (char) (c | 0x20);
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    /**
     * Where the authority starts when {@code target} is in absolute form (a scheme of letters,
     * digits, '+', '-' or '.' then "://", as nginx's request-line parser takes it), else -1.
     */
    static int absoluteForm(String target) {
        int i = 0;
        while (i < target.length()) {
            char c = target.charAt(i);
            char lower = (char) (c | 0x20);
            if ((lower >= 'a' && lower <= 'z') || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'))) {
                i++;
            } else {
                break;
            }
        }
        return i > 0 && target.startsWith("://", i) ? i + 3 : -1;
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
