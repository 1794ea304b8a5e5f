package dev.graft.modules.cache;

import java.util.List;

/** Whether a request is personalised: the cookie tests of the Lua module, as pure functions. */
final class Bypass {

    private Bypass() {}


    /** Any Cookie line with a '=' in it. */
    static boolean hasCookie(List<String> cookieLines) {
        for (String line : cookieLines) {
            if (line.indexOf('=') >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether one of {@code names} is a whole cookie name in the Cookie lines (joined with "; "). */
    static boolean cookieNamesPresent(List<String> cookieLines, List<String> names) {
        String header = cookieLines.size() == 1 ? cookieLines.get(0) : String.join("; ", cookieLines);
        for (String name : names) {
            int pos = 0;
            while (true) {
                int s = indexOfPair(header, name, pos);
                if (s < 0) {
                    break;
                }
                // each pair starts the header or follows ';' and optional spaces
                if (s == 0 || afterSeparator(header, s)) {
                    return true;
                }
                pos = s + name.length() + 1;
            }
        }
        return false;
    }

    /** {@code header.indexOf(name + "=", from)} without building the needle. */
    private static int indexOfPair(String header, String name, int from) {
        int s = header.indexOf(name, from);
        while (s >= 0 && !(s + name.length() < header.length() && header.charAt(s + name.length()) == '=')) {
            s = header.indexOf(name, s + 1);
        }
        return s;
    }

    /**
     * Whether {@code header[0, end)} has a match of the Java regex {@code ;[ \t]*$} (what this
     * port has always used): ';' and blanks up to the end, where {@code $} also matches before a
     * final line terminator ("\r\n", or one of \n, \r, U+0085, U+2028, U+2029).
     */
    static boolean afterSeparator(String header, int end) {
        if (separatorBefore(header, end)) {
            return true;
        }
        if (end >= 2 && header.charAt(end - 2) == '\r' && header.charAt(end - 1) == '\n') {
            return separatorBefore(header, end - 2);
        }
        if (end >= 1) {
            char c = header.charAt(end - 1);
            boolean terminator = c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029'
                    || (c == '\n' && (end < 2 || header.charAt(end - 2) != '\r'));
            return terminator && separatorBefore(header, end - 1);
        }
        return false;
    }

    /** {@code header[0, end)} ends with ';' followed by spaces and tabs only. */
    private static boolean separatorBefore(String header, int end) {
        int i = end;
        while (i > 0 && (header.charAt(i - 1) == ' ' || header.charAt(i - 1) == '\t')) {
            i--;
        }
        return i > 0 && header.charAt(i - 1) == ';';
    }
}
