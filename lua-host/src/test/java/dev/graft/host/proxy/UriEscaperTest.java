package dev.graft.host.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UriEscaperTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/a/b-c_d.e~f         | /a/b-c_d.e~f",
            "/a b                 | /a%20b",
            "/100%                | /100%25",
            "/a?b#c               | /a%3Fb%23c",
            "/cafÃ©               | /caf%C3%A9",
            "/À®                  | /%C0%AE",
    })
    void escapes_like_ngx_escape_uri(String uri, String escaped) {
        // $uri is one char per byte: "cafÃ©" is the UTF-8 "café", "\u00c0\u00ae" invalid UTF-8 kept as bytes

        assertThat(UriEscaper.escape(uri)).isEqualTo(escaped);
    }

    @Test
    void appends_args_unchanged() {
        assertThat(UriEscaper.target("/new path", Optional.of("a=%20&b"))).isEqualTo("/new%20path?a=%20&b");
        assertThat(UriEscaper.target("/x", Optional.empty())).isEqualTo("/x");
    }

    @Test
    void sub_delims_and_path_characters_stay() {
        assertThat(UriEscaper.escape("/!$&'()*+,;=:@")).isEqualTo("/!$&'()*+,;=:@");
    }

    @Test
    void other_printable_ascii_is_escaped() {
        assertThat(UriEscaper.escape("/a\"<>\\^`{|}")).isEqualTo("/a%22%3C%3E%5C%5E%60%7B%7C%7D");
    }

    @Test
    void control_bytes_are_escaped() {
        assertThat(UriEscaper.escape("/a\tb\u007f")).isEqualTo("/a%09b%7F");
    }
}
