package dev.graft.host.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected strings are glibc's printf("%.14g") (as printed by lua-cjson and LuaJIT). */
class PrintfGTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0.1, 0.1",
        "0.3333333333333333, 0.33333333333333",
        "1e20, 1e+20",
        "1e15, 1e+15",
        "123456789012345678, 1.2345678901235e+17",
        "3.0, 3",
        "9007199254740992, 9.007199254741e+15",
        "0.00001, 1e-05",
        "0.0001, 0.0001",
        "100, 100",
        "1.5e300, 1.5e+300",
        "12345678901234, 12345678901234",
        "-2.5, -2.5",
        "1e-300, 1e-300",
        "0.5, 0.5",
    })
    void formatsLikeC(double d, String expected) {
        assertThat(PrintfG.format14(d)).isEqualTo(expected);
    }
}
