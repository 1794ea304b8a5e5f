package dev.graft.modules.auth;

import dev.graft.modules.lua.LuaText;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code signed}: URLs signed with HMAC-SHA1(secret, uri .. expires).
 *
 * @param secret       the HMAC key; absent or empty: no signature is valid (logged)
 * @param paths        where a signature is required; absent: every path
 * @param expiresArg   argument with the expiry (unix seconds); default "expires"
 * @param signatureArg argument with the signature; default "signature"
 * @param user         {@code auth_user} of a signed request; default "signed-url"
 */
public record SignedUrls(Optional<String> secret, Optional<List<String>> paths, Optional<String> expiresArg,
        Optional<String> signatureArg, Optional<String> user) {

    public SignedUrls {
        secret = LuaText.orEmpty(secret).filter(s -> !s.isEmpty()).map(LuaText::bytes);
        paths = PathPrefixes.prefixes(paths);
        expiresArg = LuaText.orEmpty(expiresArg).map(LuaText::bytes);
        signatureArg = LuaText.orEmpty(signatureArg).map(LuaText::bytes);
        user = LuaText.orEmpty(user).map(LuaText::bytes);
    }

    String expiresName() {
        return expiresArg.orElse("expires");
    }

    String signatureName() {
        return signatureArg.orElse("signature");
    }

    String userName() {
        return user.orElse("signed-url");
    }

    Set<String> credentialArgs() {
        return expiresName().equals(signatureName()) ? Set.of(expiresName()) : Set.of(expiresName(), signatureName());
    }
}
