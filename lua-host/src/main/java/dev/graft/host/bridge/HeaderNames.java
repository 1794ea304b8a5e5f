package dev.graft.host.bridge;

import io.netty.util.AsciiString;
import java.util.HashMap;

/**
 * Header names as Netty {@link AsciiString}s, made once per event loop. Netty's headers hash a
 * name case-insensitively on every get, contains, set and remove; a String name is hashed anew
 * each time (with the name checks, ~15% of the native path's CPU in the profile), an AsciiString
 * keeps its hash. The ports pass the same few names on every request. A name with a char past
 * ASCII is passed on as it is (an AsciiString keeps one byte per char, which could alias another
 * name). Confined to its loop.
 */
final class HeaderNames {

    /** Past this many distinct names (only names built per request could get there) the cache starts over. */
    private static final int MAX_NAMES = 512;

    private final HashMap<String, CharSequence> names = new HashMap<>();

    CharSequence of(String name) {
        CharSequence n = names.get(name);
        if (n == null) {
            if (names.size() >= MAX_NAMES) {
                names.clear();
            }
            n = ascii(name) ? new AsciiString(name) : name;
            names.put(name, n);
        }
        return n;
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
