package dev.graft.host.lua.lib;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.regex.PcreRegex;
import dev.graft.bridge.regex.RegexOptions;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.luaj.vm2.LuaString;

/**
 * The compiled {@code ngx.re} patterns of one VM: a bounded LRU keyed by pattern and
 * options. Compiling happens once per distinct (pattern, options), never per request in
 * the steady state. Confined to its VM's thread, so it takes no locks. OpenResty caches
 * only with the o option; caching always is safe because a compiled pattern is pure.
 */
public final class RegexCache {

    /** lua-nginx-module's default lua_regex_cache_max_entries. */
    public static final int DEFAULT_MAX_ENTRIES = 1024;
    /** Default match budget in char reads per exec, in the spirit of PCRE's match_limit (10 M). */
    public static final long DEFAULT_MATCH_LIMIT = 10_000_000L;

    /** A compile outcome: a regex or the error message {@code ngx.re} returns. */
    public sealed interface Compiled {}

    record Ok(CompiledRegex regex) implements Compiled {}

    record Failed(String message) implements Compiled {}

    private record Key(LuaString pattern, LuaString options) {}

    private final long matchLimit;
    private final LinkedHashMap<Key, Compiled> entries;

    public RegexCache(int maxEntries, long matchLimit) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: >= 1)");
        }
        if (matchLimit < 1) {
            throw new IllegalArgumentException("matchLimit: " + matchLimit + " (expected: >= 1)");
        }
        this.matchLimit = matchLimit;
        this.entries = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Compiled> eldest) {
                return size() > maxEntries;
            }
        };
    }

    public static RegexCache withDefaults() {
        return new RegexCache(DEFAULT_MAX_ENTRIES, DEFAULT_MATCH_LIMIT);
    }

    int size() {
        return entries.size();
    }

    /**
     * The compiled form of {@code pattern} with the option letters {@code options}.
     * Failures are cached too, so a bad pattern in a hot path costs one lookup; an unknown
     * option letter is never cached and throws every time.
     */
    Compiled compile(LuaString pattern, LuaString options) throws RegexOptions.UnknownFlag {
        requireNonNull(pattern, "pattern");
        requireNonNull(options, "options");
        Key key = new Key(pattern, options);
        Compiled c = entries.get(key);
        if (c == null) {
            c = doCompile(pattern, RegexOptions.parse(latin1(options)));
            entries.put(key, c);
        }
        return c;
    }

    private Compiled doCompile(LuaString pattern, RegexOptions opts) {
        String text;
        if (opts.utf8()) {
            CompiledRegex.Utf8 d = CompiledRegex.Utf8.decode(pattern);
            if (d == null) {
                return new Failed("pcre_compile() failed: invalid UTF-8 string in \"" + latin1(pattern) + "\"");
            }
            text = new String(d.chars, 0, d.length);
        } else {
            text = latin1(pattern);
        }
        return switch (PcreRegex.compile(text, opts)) {
            case PcreRegex.Failed f -> new Failed(f.message());
            case PcreRegex.Compiled c -> new Ok(new CompiledRegex(c.pattern(), opts.utf8(), opts.anchored(), c.names(), matchLimit,
                    c.prefilter()));
        };
    }

    private static String latin1(LuaString s) {
        return new String(s.m_bytes, s.m_offset, s.m_length, StandardCharsets.ISO_8859_1);
    }
}
