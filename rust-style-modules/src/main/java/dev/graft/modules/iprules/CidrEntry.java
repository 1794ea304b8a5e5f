package dev.graft.modules.iprules;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One entry of an {@code allow}, {@code deny} or {@code trusted_proxies} list, read once at
 * load. The Lua module logs an unreadable entry and skips it rather than refusing the settings,
 * so an unreadable entry is a value here too ({@link #network()} empty, {@link #why()} set).
 *
 * @param text    the entry as configured; for an entry that is not a string, its Lua type name
 * @param network the network, when readable
 * @param why     why it is unreadable ("bad address", "not a string", ...), empty when readable
 */
public record CidrEntry(String text, Optional<Network> network, Optional<String> why) {

    public CidrEntry {
        requireNonNull(text, "text");
        requireNonNull(network, "network");
        requireNonNull(why, "why");
    }

    /** Reads a configured string (Jackson binds list elements through this). */
    public static CidrEntry valueOf(String s) {
        return switch (Network.parse(s)) {
            case Network.Readable r -> new CidrEntry(s, Optional.of(r.network()), Optional.empty());
            case Network.Unreadable u -> new CidrEntry(s, Optional.empty(), Optional.of(u.why()));
        };
    }

    /** A list element that is not a string (JSON null reads as Lua's ngx.null, a userdata). */
    static CidrEntry notAString(String luaType) {
        return new CidrEntry(luaType, Optional.empty(), Optional.of("not a string"));
    }
}
