package dev.graft.modules.auth;

import dev.graft.modules.lua.LuaText;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code basic}: HTTP basic authentication.
 *
 * @param users accepted users and their passwords; entries whose password is not a string are
 *              ignored, as in Lua
 * @param realm realm of the challenge; default "restricted"
 * @param paths where basic auth is required; absent: every path
 */
public record BasicAuth(Optional<Map<String, String>> users, Optional<String> realm, Optional<List<String>> paths) {

    public BasicAuth {
        users = LuaText.orEmpty(users).map(u -> {
            Map<String, String> out = new HashMap<>();
            u.forEach((name, pass) -> {
                if (name != null && pass != null) {
                    out.put(LuaText.bytes(name), LuaText.bytes(pass));
                }
            });
            return Map.copyOf(out);
        });
        realm = LuaText.orEmpty(realm).map(LuaText::bytes);
        paths = PathPrefixes.prefixes(paths);
    }

    Optional<String> password(String user) {
        return users.map(u -> u.get(user));
    }

    String challenge() {
        return "Basic realm=\"" + realm.orElse("restricted") + "\"";
    }
}
