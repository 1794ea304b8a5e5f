package dev.graft.modules.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.CtxKeys;
import dev.graft.bridge.Outcome;
import dev.graft.bridge.StageExchange.LogLevel;
import dev.graft.modules.testing.FakeExchange;
import dev.graft.modules.testing.Json;
import dev.graft.modules.testing.RecordBinder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthStageTest {

    private final AuthStage stage = new AuthStage();

    private static AuthConfig conf(String json) {
        return RecordBinder.bind(Json.parse(json), AuthConfig.class);
    }

    private static String body(Outcome o) {
        return new String(((Outcome.Exit) o).body().orElseThrow(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void declaresAccessAndIsSecurityCritical() {
        assertThat(stage.name()).isEqualTo("auth");
        assertThat(stage.phases()).containsExactly(dev.graft.bridge.Phase.ACCESS);
        assertThat(stage.securityCritical()).isTrue();
    }

    @Test
    void missingKeyIs401WithTheChallengeBeforeTheContentType() {
        Outcome o = stage.access(FakeExchange.get("/"), conf("{\"keys\": [\"k\"], \"realm\": \"r\"}"));
        assertThat(o).isInstanceOf(Outcome.Exit.class);
        Outcome.Exit e = (Outcome.Exit) o;
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.headers()).containsExactly(Map.entry("WWW-Authenticate", "ApiKey realm=\"r\", header=\"X-Api-Key\""),
                Map.entry("Content-Type", "text/plain"));
        assertThat(body(o)).isEqualTo("authentication required\n");
    }

    @Test
    void unknownKeyIsLoggedAndRefused() {
        FakeExchange x = FakeExchange.get("/").requestHeader("X-Api-Key", "nope");
        Outcome o = stage.access(x, conf("{\"keys\": [\"k\"]}"));
        assertThat(((Outcome.Exit) o).status()).isEqualTo(403);
        assertThat(body(o)).isEqualTo("invalid api key\n");
        assertThat(x.logLines()).containsExactly(new FakeExchange.LogLine(LogLevel.INFO, "auth: unknown api key"));
    }

    @Test
    void acceptedKeyNamesTheUserAndStripsBothPlaces() {
        FakeExchange x = FakeExchange.get("/p?a=1&&api_key=zz&b=2").requestHeader("X-Api-Key", "k");
        Outcome o = stage.access(x, conf("{\"keys\": [\"k\"], \"key_query_arg\": \"api_key\", \"user_header\": \"X-User\"}"));
        assertThat(o).isEqualTo(Outcome.proceed());
        assertThat(x.get(CtxKeys.AUTH_USER)).hasValue("key#1");
        assertThat(x.requestHeaders().contains("X-Api-Key")).isFalse();
        assertThat(x.requestHeaders().first("X-User")).hasValue("key#1");
        assertThat(x.request().args()).hasValue("a=1&b=2");
    }

    @Test
    void sha1DigestsMatchTheKey() {
        FakeExchange x = FakeExchange.get("/").requestHeader("X-Api-Key", "secret");
        // sha1("secret"), upper case in the settings
        Outcome o = stage.access(x, conf("{\"key_hash\": \"sha1\", \"keys\": [\"E5E9FA1BA31ECD1AE84F75CAAA474F3A663F05F4\"]}"));
        assertThat(o).isEqualTo(Outcome.proceed());
        assertThat(x.get(CtxKeys.AUTH_USER)).hasValue("key#1");
    }

    private static final String SIGNED = "{\"signed\": {\"secret\": \"s3\", \"paths\": [\"/dl/\"]}}";

    @Test
    void aSignatureIsCheckedBeforeTheExpiry() throws Exception {
        AuthConfig c = conf(SIGNED);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA1");
        mac.init(new javax.crypto.spec.SecretKeySpec("s3".getBytes(StandardCharsets.ISO_8859_1), "HmacSHA1"));
        String good = Codec.hex(mac.doFinal("/dl/a b1000".getBytes(StandardCharsets.ISO_8859_1)));
        Clock now = Clock.fixed(Instant.ofEpochSecond(2000), ZoneOffset.UTC);

        FakeExchange expired = FakeExchange.get("/dl/a%20b?expires=1000&signature=" + good.toUpperCase())
                .uri("/dl/a b").clock(now);
        assertThat(body(stage.access(expired, c))).isEqualTo("expired\n");

        FakeExchange forged = FakeExchange.get("/dl/a%20b?expires=1000&signature=" + good.replace('a', 'b'))
                .uri("/dl/a b").clock(now);
        assertThat(body(stage.access(forged, c))).isEqualTo("invalid signature\n");
        assertThat(forged.logLines()).containsExactly(new FakeExchange.LogLine(LogLevel.INFO, "auth: bad signature for /dl/a b"));

        FakeExchange valid = FakeExchange.get("/dl/a%20b?x=1&expires=1000&signature=" + good)
                .uri("/dl/a b").clock(Clock.fixed(Instant.ofEpochSecond(1000), ZoneOffset.UTC));
        assertThat(stage.access(valid, c)).isEqualTo(Outcome.proceed());
        assertThat(valid.request().args()).hasValue("x=1");
        assertThat(valid.get(CtxKeys.AUTH_USER)).hasValue("signed-url");
    }

    @Test
    void signedArgumentsMissingRepeatedOrValueless() {
        AuthConfig c = conf(SIGNED);
        assertThat(body(stage.access(FakeExchange.get("/dl/a?expires=1"), c))).isEqualTo("signature required\n");
        assertThat(body(stage.access(FakeExchange.get("/dl/a?expires=1&signature&x").uri("/dl/a"), c)))
                .isEqualTo("invalid signature\n");
        assertThat(body(stage.access(FakeExchange.get("/dl/a?expires=1&signature=a&signature=b").uri("/dl/a"), c)))
                .isEqualTo("invalid signature\n");
        assertThat(body(stage.access(FakeExchange.get("/dl/a?expires=1234567890123&signature=a").uri("/dl/a"), c)))
                .isEqualTo("invalid signature\n");
        assertThat(stage.access(FakeExchange.get("/other"), c)).isEqualTo(Outcome.proceed());
    }

    @Test
    void basicAuthStripsTheHeaderAndRefusesAWrongPassword() {
        AuthConfig c = conf("{\"basic\": {\"users\": {\"bob\": \"pa:ss\"}}}");
        FakeExchange ok = FakeExchange.get("/").requestHeader("Authorization", "bAsIc Ym9iOnBhOnNz");
        assertThat(stage.access(ok, c)).isEqualTo(Outcome.proceed());
        assertThat(ok.get(CtxKeys.AUTH_USER)).hasValue("bob");
        assertThat(ok.requestHeaders().contains("Authorization")).isFalse();

        FakeExchange bad = FakeExchange.get("/").requestHeader("Authorization", "Basic Ym9iOnBhc3M=");
        Outcome o = stage.access(bad, c);
        assertThat(((Outcome.Exit) o).headers()).contains(Map.entry("WWW-Authenticate", "Basic realm=\"restricted\""));
        assertThat(bad.logLines()).extracting(FakeExchange.LogLine::message)
                .containsExactly("auth: basic credentials refused for user bob");
    }

    @Test
    void withoutArgsKeepsOthersAsSent() {
        assertThat(QueryArgs.without(java.util.Optional.of("a=%20&&api%5Fkey=1&b"), Set.of("api_key"))).hasValue("a=%20&b");
        assertThat(QueryArgs.without(java.util.Optional.of("a=1"), Set.of("b"))).isEmpty();
        assertThat(QueryArgs.without(java.util.Optional.of("b=1"), Set.of("b"))).hasValue("");
    }

    @Test
    void nginxBase64StopsAtPaddingAndRefusesOneExtraChar() {
        assertThat(Codec.decodeBase64("ZGF2ZTpwdw")).hasValue("dave:pw");
        assertThat(Codec.decodeBase64("ZGF2ZTpwdw==")).hasValue("dave:pw");
        assertThat(Codec.decodeBase64("ZGF2Z")).isEmpty();
        assertThat(Codec.decodeBase64("!!!")).isEmpty();
    }

    @Test
    void settingsProblemsAreLoggedAtErrByTheFirstRequestOnly() {
        AuthConfig c = conf("{\"signed\": {\"paths\": [\"/dl/\"]}}");
        FakeExchange first = FakeExchange.get("/other");
        assertThat(stage.access(first, c)).isEqualTo(Outcome.proceed());
        assertThat(first.logLines()).containsExactly(new FakeExchange.LogLine(LogLevel.ERR,
                "auth: signed.secret: missing (expected: a non-empty string), no signature is valid"));
        FakeExchange second = FakeExchange.get("/other");
        stage.access(second, c);
        assertThat(second.logLines()).isEmpty();
    }

    @Test
    void overOneHundredHeaderLinesIsLeftToLua() {
        FakeExchange x = FakeExchange.get("/").requestHeaderLines(101, 7);
        assertThat(stage.access(x, conf("{}"))).isEqualTo(Outcome.fallback("over 100 request headers"));
        FakeExchange y = FakeExchange.get("/").requestHeaderLines(100, 1);
        assertThat(stage.access(y, conf("{}"))).isNotInstanceOf(Outcome.Fallback.class);
    }
}
