package dev.graft.host.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UriNormalizerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/                    | /",
            "/a/b                 | /a/b",
            "/a//b/./c/../d       | /a/b/d",
            "/%41                 | /A",
            "//a///b              | /a/b",
            "/a/.                 | /a/",
            "/a/..                | /",
            "/a/b/..              | /a/",
            "/.                   | /",
            "/a/...               | /a/...",
            "/a/.b/..c            | /a/.b/..c",
            "/a%2Fb               | /a/b",
            "/a/%2e%2E/b          | /b",
            "/caf%C3%A9           | /cafÃ©",
            "/%c0%ae%FF           | /À®ÿ",
            "/a%20b               | /a b",
            "/a%25b               | /a%b",
            "/a%3Fb               | /a?b",
            "/a#frag              | /a",
            "http://host/x//y     | /x/y",
            "http://host          | /",
    })
    void normalises_like_nginx(String target, String uri) {
        assertThat(UriNormalizer.normalize(target)).isEqualTo(new UriNormalizer.Normalized(uri, Optional.empty()));
    }

    @ParameterizedTest(name = "{0} -> 400")
    @CsvSource({"/../x", "/a/../../x", "/%2e%2e/x", "/a%00b", "/a%zz", "/a%4", "/a%", "*", "x/y", "''"})
    void rejects_what_nginx_answers_400(String target) {
        assertThat(UriNormalizer.normalize(target)).isInstanceOf(UriNormalizer.Rejected.class);
    }

    @ParameterizedTest(name = "{0} -> {1} ? {2}")
    @CsvSource(delimiter = '|', value = {
            "/a?x=1&y=%20  | /a   | x=1&y=%20",
            "/a/./b?q=/../ | /a/b | q=/../",
            "/a?           | /a   | ''",
    })
    void splits_the_query_string_off_raw(String target, String uri, String args) {
        assertThat(UriNormalizer.normalize(target)).isEqualTo(
                new UriNormalizer.Normalized(uri, args.isEmpty() ? Optional.empty() : Optional.of(args)));
    }

    @org.junit.jupiter.api.Test
    void plain_paths_come_back_as_the_same_string() {
        String path = "/static/app.js";
        assertThat(((UriNormalizer.Normalized) UriNormalizer.normalize(path)).uri()).isSameAs(path);
    }
}
