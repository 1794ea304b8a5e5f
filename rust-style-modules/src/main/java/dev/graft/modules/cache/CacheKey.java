package dev.graft.modules.cache;

import dev.graft.modules.lua.LuaText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** The cache key, {@code METHOD " " host path ["?" args]}, as a pure function. */
final class CacheKey {

    private CacheKey() {}

    /**
     * @param method "GET" or "HEAD"
     * @param host   $host
     * @param uri    $uri, the decoded path
     * @param args   $args, raw
     */
    static String of(String method, String host, String uri, Optional<String> args) {
        String key = method + " " + LuaText.asciiLower(host) + LuaText.escapePath(uri);
        Optional<String> sorted = sortedArgs(args);
        return sorted.isPresent() ? key + "?" + sorted.get() : key;
    }

    /** "b=2&a=1&&a=0" -> "a=0&a=1&b=2": pairs split on '&', empty ones dropped, sorted by bytes. */
    static Optional<String> sortedArgs(Optional<String> args) {
        if (args.isEmpty() || args.get().isEmpty()) {
            return Optional.empty();
        }
        String a = args.get();
        if (a.indexOf('&') < 0 || inOrder(a)) {
            return args;
        }
        List<String> parts = new ArrayList<>();
        int start = 0;
        while (true) {
            int amp = a.indexOf('&', start);
            String part = a.substring(start, amp < 0 ? a.length() : amp);
            if (!part.isEmpty()) {
                parts.add(part);
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        Collections.sort(parts);
        return Optional.of(String.join("&", parts));
    }

    /**
     * Whether the pairs of {@code a} are non-empty and already in sorted order (as
     * {@link String#compareTo} orders them), so that sorting would give {@code a} back.
     */
    static boolean inOrder(String a) {
        int prev = 0;
        int prevEnd = a.indexOf('&');
        if (prevEnd <= 0) {
            return false;
        }
        while (prevEnd < a.length()) {
            int start = prevEnd + 1;
            int amp = a.indexOf('&', start);
            int end = amp < 0 ? a.length() : amp;
            if (end == start || compare(a, prev, prevEnd, start, end) > 0) {
                return false;
            }
            prev = start;
            prevEnd = end;
        }
        return true;
    }

    /** {@code a.substring(x, xEnd).compareTo(a.substring(y, yEnd))}, without the substrings. */
    private static int compare(String a, int x, int xEnd, int y, int yEnd) {
        int n = Math.min(xEnd - x, yEnd - y);
        for (int i = 0; i < n; i++) {
            int d = a.charAt(x + i) - a.charAt(y + i);
            if (d != 0) {
                return d;
            }
        }
        return (xEnd - x) - (yEnd - y);
    }
}
