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
        if (a.indexOf('&') < 0) {
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
}
