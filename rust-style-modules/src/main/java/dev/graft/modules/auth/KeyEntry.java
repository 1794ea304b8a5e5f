package dev.graft.modules.auth;

import dev.graft.modules.lua.LuaText;
import java.util.Optional;

/**
 * One entry of {@code keys}: a string (the key; the caller is {@code key#<position>}) or an
 * object {@code {key, user}}. An entry without a usable key is ignored (and logged) by the Lua
 * module, so it is a value here too: {@link #key()} empty.
 *
 * @param key  the key, or its hex digest under {@code key_hash}
 * @param user the caller's name; absent: {@code key#<position>}
 */
public record KeyEntry(Optional<String> key, Optional<String> user) {

    public KeyEntry {
        // the settings text becomes Lua bytes in AuthConfig, which resolves each entry once
        key = LuaText.orEmpty(key).filter(k -> !k.isEmpty());
        user = LuaText.orEmpty(user);
    }

    /** A string entry (Jackson binds string elements through this). */
    public static KeyEntry valueOf(String key) {
        return new KeyEntry(Optional.of(key), Optional.empty());
    }
}
