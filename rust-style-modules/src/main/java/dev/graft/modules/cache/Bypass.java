package dev.graft.modules.cache;

import java.util.List;
import java.util.regex.Pattern;

/** Whether a request is personalised: the cookie tests of the Lua module, as pure functions. */
final class Bypass {

    private Bypass() {}

    private static final Pattern AFTER_SEPARATOR = Pattern.compile(";[ \t]*$");

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
        String header = String.join("; ", cookieLines);
        for (String name : names) {
            String needle = name + "=";
            int pos = 0;
            while (true) {
                int s = header.indexOf(needle, pos);
                if (s < 0) {
                    break;
                }
                // each pair starts the header or follows ';' and optional spaces
                if (s == 0 || AFTER_SEPARATOR.matcher(header.substring(0, s)).find()) {
                    return true;
                }
                pos = s + needle.length();
            }
        }
        return false;
    }
}
