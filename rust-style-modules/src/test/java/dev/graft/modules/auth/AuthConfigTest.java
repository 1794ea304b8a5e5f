package dev.graft.modules.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.modules.testing.Json;
import dev.graft.modules.testing.RecordBinder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthConfigTest {

    private static AuthConfig conf(String json) {
        return RecordBinder.bind(Json.parse(json), AuthConfig.class);
    }

    @Test
    void defaultsAreTheLuaModules() {
        AuthConfig c = AuthConfig.defaults();
        assertThat(c.keys()).isEmpty();
        assertThat(c.hash()).isEqualTo(AuthConfig.Hash.PLAIN);
        assertThat(c.keyHeaderName()).isEqualTo("X-Api-Key");
        assertThat(c.keyChallenge()).isEqualTo("ApiKey realm=\"api\", header=\"X-Api-Key\"");
        assertThat(c.strip()).isTrue();
        assertThat(c.userHeader()).isEmpty();
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void stringEntriesAreKeyPositionAndDigestsCompareInLowerCase() {
        AuthConfig c = conf("{\"key_hash\": \"md5\", \"keys\": [\"ABCDEF\", {\"key\": \"FF00\", \"user\": \"u\"}, \"\", {\"user\": \"x\"}]}");
        assertThat(c.userOf("abcdef")).hasValue("key#1");
        assertThat(c.userOf("ff00")).hasValue("u");
        assertThat(c.userOf("ABCDEF")).isEmpty();
        assertThat(c.problems()).containsExactly("auth: keys[3]: not a key, ignored", "auth: keys[4]: not a key, ignored");
    }

    @Test
    void aLaterEntryWithTheSameKeyWins() {
        AuthConfig c = conf("{\"keys\": [{\"key\": \"k\", \"user\": \"first\"}, {\"key\": \"k\", \"user\": \"second\"}]}");
        assertThat(c.userOf("k")).hasValue("second");
    }

    @Test
    void anUnknownHashMakesNoKeyValid() {
        AuthConfig c = conf("{\"key_hash\": \"sha256\", \"keys\": [\"k\"], \"key_paths\": [\"\"]}");
        assertThat(c.hash()).isEqualTo(AuthConfig.Hash.NONE);
        assertThat(c.userOf("k")).isEmpty();
        assertThat(c.problems()).containsExactly(
                "auth: key_hash: sha256 (expected: plain, md5 or sha1), no key is valid",
                "auth: key_paths[1]: not a path prefix, ignored");
    }

    @Test
    void signedDefaultsAndAMissingSecret() {
        AuthConfig c = conf("{\"signed\": {\"secret\": \"\", \"paths\": [\"/dl/\", null]}, \"basic\": {\"paths\": []}}");
        SignedUrls s = c.signed().orElseThrow();
        assertThat(s.secret()).isEmpty();
        assertThat(s.expiresName()).isEqualTo("expires");
        assertThat(s.signatureName()).isEqualTo("signature");
        assertThat(s.userName()).isEqualTo("signed-url");
        assertThat(c.basic().orElseThrow().challenge()).isEqualTo("Basic realm=\"restricted\"");
        assertThat(c.problems()).containsExactly(
                "auth: signed.secret: missing (expected: a non-empty string), no signature is valid",
                "auth: signed.paths[2]: not a path prefix, ignored");
    }

    @Test
    void emptyHeaderAndArgNamesAreDefaultsAndSettingsTextIsUtf8Bytes() {
        AuthConfig c = conf("{\"keys\": [\"clé\"], \"key_header\": \"\", \"key_query_arg\": \"\", \"realm\": \"é\"}");
        assertThat(c.keyHeaderName()).isEqualTo("X-Api-Key");
        assertThat(c.keyQueryArg()).isEqualTo(Optional.empty());
        assertThat(c.userOf("cl\u00c3\u00a9")).hasValue("key#1");
        assertThat(c.keyChallenge()).isEqualTo("ApiKey realm=\"\u00c3\u00a9\", header=\"X-Api-Key\"");
    }
}
