package dev.graft.modules.lua;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LuaTextTest {

    @Test
    void bytesAreUtf8OneCharEach() {
        assertThat(LuaText.bytes("abc")).isEqualTo("abc");
        assertThat(LuaText.bytes("é")).isEqualTo("\u00c3\u00a9");
        assertThat(LuaText.ctxText("\u00c3\u00a9")).contains("é");
        assertThat(LuaText.ctxText("\u00ff")).isEmpty();
    }

    @Test
    void jacksonNullsAndEmptySettings() {
        assertThat(LuaText.orEmpty(null)).isEmpty();
        assertThat(LuaText.orEmpty(Optional.of(1))).contains(1);
        assertThat(LuaText.nonEmpty(null)).isEmpty();
        assertThat(LuaText.nonEmpty(Optional.of(""))).isEmpty();
        assertThat(LuaText.nonEmpty(Optional.of("é"))).contains("\u00c3\u00a9");
    }

    @Test
    void lowerIsAsciiOnly() {
        assertThat(LuaText.asciiLower("\u00c0BC-d")).isEqualTo("\u00c0bc-d");
        assertThat(LuaText.isSpace('\u000b')).isTrue();
        assertThat(LuaText.isSpace('\u001f')).isFalse();
    }

    @Test
    void unescapeUriAsOpenResty() {
        assertThat(LuaText.unescapeUri("a+b%41%zz%4")).isEqualTo("a bA%zz%4");
        assertThat(LuaText.unescapeUri("plain")).isEqualTo("plain");
        assertThat(LuaText.unescapeUri("x%41y", 1, 4)).isEqualTo("A");
        assertThat(LuaText.unescapeUri("x%41y", 1, 3)).isEqualTo("%4");
    }

    @Test
    void tonumberOfHeaderText() {
        assertThat(LuaText.tonumber(" 12 ")).hasValue(12);
        assertThat(LuaText.tonumber("-0x10")).hasValue(-16);
        assertThat(LuaText.tonumber("\u001f12")).isEmpty();
        assertThat(LuaText.tonumber("")).isEmpty();
    }

    @Test
    void escapePathKeepsThePathCharacters() {
        assertThat(LuaText.escapePath("/a-b_c~d/!$&'()*+,;=:@")).isEqualTo("/a-b_c~d/!$&'()*+,;=:@");
        assertThat(LuaText.escapePath("/a b/\u00e9?")).isEqualTo("/a%20b/%E9%3F");
    }
}
