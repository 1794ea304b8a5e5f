package dev.graft.modules.cache;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * cache's settings, bound from the JSON the Lua handler gets. The Lua module never refuses its
 * settings (a broken rule or field is logged at ERR once and skipped or defaulted), so the
 * loosely checked fields are JSON values read as Lua reads them, and {@link #plan()} is derived
 * here, once (the host binds only the other fields; a {@code plan} passed in is ignored).
 *
 * @param rules               the rules, first match wins
 * @param keyHeader           the key's response header: a name, or {@code false}/"" for none (default X-Cache-Key)
 * @param bypassCookies       cookie names that make a request private; "*" any; absent: any cookie
 * @param bypassAuthorization anything but {@code false}: Authorization makes a request private
 * @param privateOnSetCookie  anything but {@code false}: a Set-Cookie response is private
 * @param statuses            the statuses a rule applies to (default 200 203 204 206 300 301 308 404 405 410 414 501)
 * @param plan                derived: the compiled settings
 */
public record CacheConfig(Optional<List<CacheRule>> rules, Optional<Object> keyHeader, Optional<Object> bypassCookies,
        Optional<Object> bypassAuthorization, Optional<Object> privateOnSetCookie, Optional<Object> statuses,
        CachePlan plan) {

    public CacheConfig {
        requireNonNull(rules, "rules");
        rules = rules.map(List::copyOf);
        requireNonNull(keyHeader, "keyHeader");
        requireNonNull(bypassCookies, "bypassCookies");
        requireNonNull(bypassAuthorization, "bypassAuthorization");
        requireNonNull(privateOnSetCookie, "privateOnSetCookie");
        requireNonNull(statuses, "statuses");
        plan = CachePlan.compile(rules.orElse(List.of()), keyHeader, bypassCookies, bypassAuthorization,
                privateOnSetCookie, statuses);
    }

    public CacheConfig(Optional<List<CacheRule>> rules, Optional<Object> keyHeader, Optional<Object> bypassCookies,
            Optional<Object> bypassAuthorization, Optional<Object> privateOnSetCookie, Optional<Object> statuses) {
        this(rules, keyHeader, bypassCookies, bypassAuthorization, privateOnSetCookie, statuses, null);
    }

    public static CacheConfig of(CacheRule... rules) {
        return new CacheConfig(Optional.of(List.of(rules)), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty());
    }
}
