package dev.graft.modules.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.Outcome;
import dev.graft.bridge.StageExchange.LogLevel;
import dev.graft.modules.testing.FakeExchange;
import dev.graft.modules.testing.FakeExchange.LogLine;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NormalizeStageTest {

    private final NormalizeStage stage = new NormalizeStage();
    private final NormalizeConfig defaults = NormalizeConfig.defaults();

    private static NormalizeConfig rejectOff() {
        Optional<Boolean> on = Optional.empty();
        return new NormalizeConfig(on, on, on, on, on, Optional.of(false));
    }

    @Test
    void anUnchangedPathIsNotSet() {
        FakeExchange x = FakeExchange.get("/a/b?x=1");
        assertThat(stage.rewrite(x, defaults)).isEqualTo(Outcome.proceed());
        assertThat(x.uriSet()).isFalse();
    }

    @Test
    void unreservedEscapesAreDecodedAndTheRestUpperCased() {
        FakeExchange x = FakeExchange.get("/%7euser/%41%2fb?q=%41");
        stage.rewrite(x, defaults);
        // the decoded form is set ($uri), the query is left as sent
        assertThat(x.request().uri()).isEqualTo("/~user/A/b");
        assertThat(x.request().args()).contains("q=%41");
    }

    @Test
    void lowerCaseHexOfAReservedCharChangesThePath() {
        FakeExchange x = FakeExchange.get("/a%2fb");
        stage.rewrite(x, defaults);
        assertThat(x.uriSet()).isTrue();
        assertThat(x.request().uri()).isEqualTo("/a/b");
    }

    @Test
    void slashesAreMergedAndDotSegmentsRemoved() {
        FakeExchange x = FakeExchange.get("//a/./b//../c/.");
        stage.rewrite(x, defaults);
        assertThat(x.request().uri()).isEqualTo("/a/c/");
    }

    @Test
    void dotDotAboveTheRootIsRefused() {
        FakeExchange x = FakeExchange.get("/a/../../x");
        assertThat(stage.rewrite(x, defaults)).isEqualTo(Outcome.exit(400));
        assertThat(x.logLines()).containsExactly(
                new LogLine(LogLevel.INFO, "normalize: '..' above the root in request target, refused"));
    }

    @Test
    void malformedEscapesAndNulAreRefusedWithTheirReason() {
        assertRefused("/a%zz", "normalize: malformed percent-encoding in request target, refused");
        assertRefused("/a%4", "normalize: malformed percent-encoding in request target, refused");
        assertRefused("/a%", "normalize: malformed percent-encoding in request target, refused");
        assertRefused("/a%00b", "normalize: encoded NUL byte in request target, refused");
        assertRefused("/a\0b", "normalize: NUL byte in request target, refused");
        // the query string is not checked
        assertThat(stage.rewrite(FakeExchange.get("/a?%zz"), defaults)).isEqualTo(Outcome.proceed());
    }

    @Test
    void aDotSegmentBehindAnEncodedSlashIsRefused() {
        assertRefused("/a/..%2f..%2fetc", "normalize: dot segment hidden behind an encoded slash, refused");
        assertRefused("/a%2F..", "normalize: dot segment hidden behind an encoded slash, refused");
    }

    @Test
    void withRejectOffNothingIsRefusedAndMalformedEscapesStay() {
        FakeExchange x = FakeExchange.get("/b/%41%zz/../../../x");
        assertThat(stage.rewrite(x, rejectOff())).isEqualTo(Outcome.proceed());
        assertThat(x.request().uri()).isEqualTo("/x");
        assertThat(x.logLines()).isEmpty();
    }

    @Test
    void hostIsLowerCasedAndTheDefaultPortDropped() {
        assertHost("http", "Shop.TEST:80", "shop.test");
        assertHost("http", "shop.test:", "shop.test");
        assertHost("http", "shop.test:443", "shop.test:443");
        assertHost("https", "shop.test:443", "shop.test");
        assertHost("http", "[::1]:80", "[::1]");
        assertHost("http", "[::1]", "[::1]");
        assertHost("http", "ÄB.test", "Äb.test"); // ASCII only, as Lua's string.lower
    }

    @Test
    void aHostThatIsOnlyTheDefaultPortIsRemoved() {
        FakeExchange x = FakeExchange.get("/").requestHeader("Host", ":80");
        stage.rewrite(x, defaults);
        assertThat(x.requestHeaders().lines()).isEmpty();
    }

    @Test
    void anUnchangedHostIsNotWritten() {
        FakeExchange x = FakeExchange.get("/").requestHeader("host", "shop.test");
        stage.rewrite(x, defaults);
        assertThat(x.requestHeaders().lines()).containsExactly("host: shop.test");
    }

    @Test
    void aRepeatedHostIsLeftAlone() {
        FakeExchange x = FakeExchange.get("/").requestHeader("Host", "A.test").requestHeader("Host", "B.test");
        stage.rewrite(x, defaults);
        assertThat(x.requestHeaders().all("Host")).containsExactly("A.test", "B.test");
    }

    @Test
    void switchesOffLeaveTheirPartAlone() {
        Optional<Boolean> on = Optional.empty();
        Optional<Boolean> off = Optional.of(false);
        NormalizeConfig c = new NormalizeConfig(off, off, off, off, off, on);
        FakeExchange x = FakeExchange.get("/a//%41/./b").requestHeader("Host", "A.TEST:80");
        stage.rewrite(x, c);
        assertThat(x.uriSet()).isFalse();
        assertThat(x.requestHeaders().all("Host")).containsExactly("A.TEST:80");
    }

    @Test
    void anAbsoluteFormTargetIsNotTouched() {
        FakeExchange x = FakeExchange.get("http://a.test/%41");
        assertThat(stage.rewrite(x, defaults)).isEqualTo(Outcome.proceed());
        assertThat(x.uriSet()).isFalse();
    }

    @Test
    void dotSegmentRemovalFollowsRfc3986() {
        assertThat(TargetPath.removeDotSegments("/a/b/c/./../../g").path()).isEqualTo("/a/g");
        assertThat(TargetPath.removeDotSegments("/a/..").path()).isEqualTo("/");
        assertThat(TargetPath.removeDotSegments("/..").above()).isTrue();
        assertThat(TargetPath.removeDotSegments("/.a/..b").path()).isEqualTo("/.a/..b");
    }

    private void assertRefused(String target, String log) {
        FakeExchange x = FakeExchange.get(target);
        assertThat(stage.rewrite(x, defaults)).isEqualTo(Outcome.exit(400));
        assertThat(x.logLines()).containsExactly(new LogLine(LogLevel.INFO, log));
        assertThat(x.uriSet()).isFalse();
    }

    private void assertHost(String scheme, String host, String expected) {
        FakeExchange x = FakeExchange.get("/").scheme(scheme).requestHeader("Host", host);
        stage.rewrite(x, defaults);
        assertThat(x.requestHeaders().all("Host")).containsExactly(expected);
    }
}
