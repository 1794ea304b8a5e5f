package dev.graft.modules.auth;

import dev.graft.modules.lua.ConfigProblems;
import dev.graft.modules.lua.LuaText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code auth} settings of a customer (legacy-scripts/auth/README.md) with the Lua module's
 * defaults; JSON {@code null} is absent. Entries the Lua module logs and ignores (a key that is
 * not a key, a path that is not a prefix) are kept as values and ignored here too;
 * {@link #problems()} words them as its log lines.
 *
 * @param keys             accepted API keys; absent: no API key scheme
 * @param keyHash          "plain" (default), "md5" or "sha1"; anything else makes no key valid
 * @param keyHeader        header carrying the key; default (also for "") X-Api-Key
 * @param keyQueryArg      argument that may carry the key when the header is absent; "" is off
 * @param keyPaths         where keys are required; absent: every path
 * @param realm            realm of the ApiKey challenge; default "api"
 * @param basic            basic auth, when present
 * @param signed           signed URLs, when present
 * @param stripCredentials remove the credential before proxying; default true
 * @param userHeader       request header that carries the user upstream; "" is off
 * @param loadProblems     derived, never read from JSON: the lines the Lua module logs when it
 *                         compiles these settings, written once by the first request
 */
public record AuthConfig(
        Optional<List<KeyEntry>> keys,
        Optional<String> keyHash,
        Optional<String> keyHeader,
        Optional<String> keyQueryArg,
        Optional<List<String>> keyPaths,
        Optional<String> realm,
        Optional<BasicAuth> basic,
        Optional<SignedUrls> signed,
        Optional<Boolean> stripCredentials,
        Optional<String> userHeader,
        ConfigProblems loadProblems) {

    /** How stored keys are compared. */
    enum Hash { PLAIN, MD5, SHA1, NONE }

    public AuthConfig {
        keyHash = LuaText.orEmpty(keyHash);
        Hash hash = hash(keyHash);
        keys = LuaText.orEmpty(keys).map(list -> normalize(list, hash));
        keyHeader = LuaText.orEmpty(keyHeader).filter(h -> !h.isEmpty()).map(LuaText::bytes);
        keyQueryArg = LuaText.orEmpty(keyQueryArg).filter(a -> !a.isEmpty()).map(LuaText::bytes);
        keyPaths = PathPrefixes.prefixes(keyPaths);
        realm = LuaText.orEmpty(realm).map(LuaText::bytes);
        basic = LuaText.orEmpty(basic);
        signed = LuaText.orEmpty(signed);
        stripCredentials = LuaText.orEmpty(stripCredentials);
        userHeader = LuaText.orEmpty(userHeader).filter(h -> !h.isEmpty()).map(LuaText::bytes);
        loadProblems = new ConfigProblems(problems(keys, keyHash, keyPaths, basic, signed));
    }

    /** The settings as they come from JSON. */
    public AuthConfig(Optional<List<KeyEntry>> keys, Optional<String> keyHash, Optional<String> keyHeader,
            Optional<String> keyQueryArg, Optional<List<String>> keyPaths, Optional<String> realm,
            Optional<BasicAuth> basic, Optional<SignedUrls> signed, Optional<Boolean> stripCredentials,
            Optional<String> userHeader) {
        this(keys, keyHash, keyHeader, keyQueryArg, keyPaths, realm, basic, signed, stripCredentials, userHeader, null);
    }

    /** The settings of {@code "auth": {}}. */
    public static AuthConfig defaults() {
        return new AuthConfig(null, null, null, null, null, null, null, null, null, null);
    }

    private static Hash hash(Optional<String> keyHash) {
        return switch (keyHash.orElse("plain")) {
            case "plain" -> Hash.PLAIN;
            case "md5" -> Hash.MD5;
            case "sha1" -> Hash.SHA1;
            default -> Hash.NONE;
        };
    }

    Hash hash() {
        return hash(keyHash);
    }

    /**
     * Each entry with its caller resolved ({@code key#<position>} by default) and, for digests,
     * its key in lower case as ngx.md5 and the hex encoder produce them. With an unknown hash the
     * Lua module stops at the first entry and stores none.
     */
    private static List<KeyEntry> normalize(List<KeyEntry> list, Hash hash) {
        List<KeyEntry> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            KeyEntry e = list.get(i);
            if (e == null || hash == Hash.NONE) {
                out.add(new KeyEntry(Optional.empty(), Optional.empty()));
                continue;
            }
            String user = e.user().map(LuaText::bytes).orElse("key#" + (i + 1));
            Optional<String> key = e.key().map(LuaText::bytes).map(k -> hash == Hash.PLAIN ? k : LuaText.asciiLower(k));
            out.add(new KeyEntry(key, Optional.of(user)));
        }
        return List.copyOf(out);
    }

    String keyHeaderName() {
        return keyHeader.orElse("X-Api-Key");
    }

    String keyChallenge() {
        return "ApiKey realm=\"" + realm.orElse("api") + "\", header=\"" + keyHeaderName() + "\"";
    }

    boolean strip() {
        return stripCredentials.orElse(true);
    }

    /** The caller of a stored key (a plain key or a lower-case digest): the last entry holding it wins, as in a Lua table. */
    Optional<String> userOf(String stored) {
        List<KeyEntry> list = keys.orElse(List.of());
        for (int i = list.size() - 1; i >= 0; i--) {
            KeyEntry e = list.get(i);
            if (e.key().isPresent() && e.key().get().equals(stored)) {
                return e.user();
            }
        }
        return Optional.empty();
    }

    /** The lines the Lua module logs at {@code error} when it first compiles these settings. */
    public List<String> problems() {
        return loadProblems.messages();
    }

    private static List<String> problems(Optional<List<KeyEntry>> keys, Optional<String> keyHash,
            Optional<List<String>> keyPaths, Optional<BasicAuth> basic, Optional<SignedUrls> signed) {
        List<String> out = new ArrayList<>();
        Hash hash = hash(keyHash);
        keys.ifPresent(list -> {
            if (hash == Hash.NONE) {
                out.add("auth: key_hash: " + keyHash.orElse("nil") + " (expected: plain, md5 or sha1), no key is valid");
            }
            for (int i = 0; i < list.size() && hash != Hash.NONE; i++) {
                if (list.get(i).key().isEmpty()) {
                    out.add("auth: keys[" + (i + 1) + "]: not a key, ignored");
                }
            }
            PathPrefixes.prefixProblems("key_paths", keyPaths, out);
        });
        basic.ifPresent(b -> PathPrefixes.prefixProblems("basic.paths", b.paths(), out));
        signed.ifPresent(s -> {
            if (s.secret().isEmpty()) {
                out.add("auth: signed.secret: missing (expected: a non-empty string), no signature is valid");
            }
            PathPrefixes.prefixProblems("signed.paths", s.paths(), out);
        });
        return out;
    }
}
