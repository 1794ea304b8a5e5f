package dev.graft.modules.cache;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One entry of {@code rules}, as written. The fields are JSON values read as the Lua module reads
 * them: it checks each rule and skips a broken one (logged at ERR) rather than refusing.
 *
 * @param prefix         a plain path prefix; exactly one of prefix and regex
 * @param regex          a PCRE pattern searched in the path
 * @param ttl            whole seconds 0..2147483647, unless cacheControl is given
 * @param cacheControl   the Cache-Control value, instead of the ttl form
 * @param overrideOrigin anything but {@code false}: replace an origin's Cache-Control
 */
public record CacheRule(Optional<Object> prefix, Optional<Object> regex, Optional<Object> ttl,
        Optional<Object> cacheControl, Optional<Object> overrideOrigin) {

    public CacheRule {
        requireNonNull(prefix, "prefix");
        requireNonNull(regex, "regex");
        requireNonNull(ttl, "ttl");
        requireNonNull(cacheControl, "cacheControl");
        requireNonNull(overrideOrigin, "overrideOrigin");
    }

    public static CacheRule prefix(String prefix, long ttl) {
        return new CacheRule(Optional.of(prefix), Optional.empty(), Optional.of(ttl), Optional.empty(), Optional.empty());
    }

    public static CacheRule regex(String regex, long ttl) {
        return new CacheRule(Optional.empty(), Optional.of(regex), Optional.of(ttl), Optional.empty(), Optional.empty());
    }
}
