package dev.graft.host.lua;

import static dev.graft.host.lua.LuaFixture.exchange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.bridge.Phase;
import dev.graft.host.exchange.Exchange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.luaj.vm2.LuaString;

/** The sandbox's string functions give what LuaJIT (C printf, C locale) gives, not LuaJ's own results. */
class CLocaleStringsTest {

    @TempDir
    Path root;
    LuaFixture lua;
    Exchange ex = exchange("GET", "/");

    @BeforeEach
    void setUp() throws IOException {
        lua = LuaFixture.in(Files.createDirectories(root.resolve("scripts")));
    }

    private String eval(String code) {
        return lua.eval(ex, Phase.ACCESS, code).arg1().tojstring();
    }

    private byte[] bytes(String code) {
        LuaString s = lua.eval(ex, Phase.ACCESS, code).arg1().checkstring();
        byte[] b = new byte[s.m_length];
        System.arraycopy(s.m_bytes, s.m_offset, b, 0, b.length);
        return b;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = "=>", quoteCharacter = '`', value = {
            // LuaJ wraps %d above 2^31 and gives 0 for 2^53; LuaJIT prints the 64-bit integer part
            "string.format('%d', 2^31)                  => 2147483648",
            "string.format('%d', 2^53)                  => 9007199254740992",
            "string.format('%d %i', -3.7, 3.7)          => -3 3",
            // LuaJ ignores precision and width
            "string.format('%.2f', 2.675)               => 2.67",
            "string.format('%.2f|%5.1f', 1/3, 3.14159)  => `0.33|  3.1`",
            "string.format('%5s|%-5s|', 'ab', 'cd')     => `   ab|cd   |`",
            "string.format('%5.2s|', 'abc')             => `   ab|`",
            // LuaJ fails on nil and booleans
            "string.format('%s %s %s', nil, true, 1/3)  => nil true 0.33333333333333",
            "string.format('%x %X %#x %o', 255, 255, 255, 8) => ff FF 0xff 10",
            "string.format('%x', -1)                    => ffffffffffffffff",
            "string.format('%05d|%+d|% d|%.3d', 42, 42, 42, 7) => `00042|+42| 42|007`",
            "string.format('%e|%.0e', 12345.678, 5e10)  => 1.234568e+04|5e+10",
            "string.format('%g|%g|%.3g|%g', 1e20, 0.0001, 1234567, 100) => 1e+20|0.0001|1.23e+06|100",
            "string.format('%c%c%%', 72, 105)           => Hi%",
            "string.format('%02X', 10)                  => 0A",
            "string.format('%08.3f', -3.14159)          => -003.142",
            "string.format('%d', '12')                  => 12",
            "tostring(1/3)                              => 0.33333333333333",
            "tostring(1e100)                            => 1e+100",
            "tostring(2^53)                             => 9.007199254741e+15",
            "tostring(10) .. tostring(-1.5)             => 10-1.5",
            "tostring(0.1) .. ' ' .. tostring(1e15)     => 0.1 1e+15",
            "tostring(nil) .. tostring(true)            => niltrue",
    })
    void bug_luaj_formatting_differed_from_luajit(String code, String expected) {
        assertThat(eval("return " + code)).isEqualTo(expected);
    }

    @Test
    void bug_format_q_escapes_like_luajit() {
        assertThat(eval("return string.format('%q', 'a\"b\\n\\0x\\0001\\r')"))
                .isEqualTo("\"a\\\"b\\\n\\0x\\0001\\13\"");
    }

    @Test
    void bug_format_errors_like_luajit() {
        assertThatThrownBy(() -> eval("return string.format('%d', 'x')")).hasMessageContaining("number expected, got string");
        assertThatThrownBy(() -> eval("return string.format('%s')")).hasMessageContaining("no value");
        assertThatThrownBy(() -> eval("return string.format('%y', 1)")).hasMessageContaining("invalid option '%y'");
    }

    @Test
    void bug_lower_and_upper_mangled_bytes_above_0x7f() {
        // "ÀB é" in UTF-8: C3 80 42 20 C3 A9; only the ASCII letters change
        assertThat(bytes("return string.lower('\\195\\128B \\195\\169')"))
                .isEqualTo(new byte[]{(byte) 0xC3, (byte) 0x80, 'b', ' ', (byte) 0xC3, (byte) 0xA9});
        assertThat(bytes("return ('\\233a'):upper()")).isEqualTo(new byte[]{(byte) 0xE9, 'A'});
    }

    @Test
    void bug_pattern_classes_took_latin1_letters_and_missed_punctuation() {
        assertThat(eval("return tostring(('\\233'):find('%a'))")).isEqualTo("nil");
        assertThat(eval("return tostring(('\\223'):find('%l'))")).isEqualTo("nil");
        assertThat(eval("return (('a_b[c]{d}~e|f^g`h\\\\i'):gsub('%p', ''))")).isEqualTo("abcdefghi");
        assertThat(eval("return tostring(('\\28'):find('%s'))")).isEqualTo("nil");
        assertThat(eval("return (('a1 \\t\\v'):gsub('%s', '.'))")).isEqualTo("a1...");
        assertThat(bytes("return (('x\\233y'):gsub('%w+', '<%0>'))"))
                .isEqualTo(new byte[]{'<', 'x', '>', (byte) 0xE9, '<', 'y', '>'});
    }
}
