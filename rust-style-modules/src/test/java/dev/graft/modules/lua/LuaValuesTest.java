package dev.graft.modules.lua;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LuaValuesTest {

    @Test
    void fieldTellsJsonNullFromAbsent() {
        Map<String, Object> m = new HashMap<>();
        m.put("n", null);
        m.put("x", 1.0);
        assertThat(LuaValues.field(m, "n")).isSameAs(LuaValues.NULL);
        assertThat(LuaValues.field(m, "gone")).isNull();
        assertThat(LuaValues.field(m, "x")).isEqualTo(1.0);
    }

    @Test
    void truthAndOrFollowLua() {
        assertThat(LuaValues.truthy(Optional.empty())).isFalse();
        assertThat(LuaValues.truthy(Optional.of(false))).isFalse();
        assertThat(LuaValues.truthy(Optional.of(0))).isTrue();
        assertThat(LuaValues.truthy(Optional.of(LuaValues.NULL))).isTrue();
        assertThat(LuaValues.or(false, 5)).isEqualTo(5);
        assertThat(LuaValues.or(null, 5)).isEqualTo(5);
        assertThat(LuaValues.or(0, 5)).isEqualTo(0);
    }

    @Test
    void typeChecks() {
        assertThat(LuaValues.isTable(List.of())).isTrue();
        assertThat(LuaValues.isTable(Map.of())).isTrue();
        assertThat(LuaValues.isTable("t")).isFalse();
        assertThat(LuaValues.isNumber(3)).isTrue();
        assertThat(LuaValues.isNumber("3")).isFalse();
        assertThat(LuaValues.intIn(3.0, 1)).isTrue();
        assertThat(LuaValues.intIn(3.5, 1)).isFalse();
        assertThat(LuaValues.intIn(0.0, 1)).isFalse();
        assertThat(LuaValues.intIn(2147483648.0, 0)).isFalse();
        assertThat(LuaValues.intIn("3", 0)).isFalse();
    }

    @Test
    void toTextAndTostringDifferOnlyWhereThePortsDid() {
        assertThat(LuaValues.toText(Optional.empty())).isEqualTo("nil");
        assertThat(LuaValues.tostring(null)).isEqualTo("nil");
        assertThat(LuaValues.toText(List.of(1))).isEqualTo("table");
        assertThat(LuaValues.tostring(Map.of())).isEqualTo("table");
        assertThat(LuaValues.toText(true)).isEqualTo("true");
        assertThat(LuaValues.tostring(LuaValues.NULL)).isEqualTo("userdata: NULL");
        assertThat(LuaValues.toText(2.5)).isEqualTo("2.5");
        assertThat(LuaValues.tostring(2.5)).isEqualTo("2.5");
        // kept apart on purpose: the accesslog/cache/headers/redirects ports print -0 as 0
        assertThat(LuaValues.toText(-0.0)).isEqualTo("0");
        assertThat(LuaValues.tostring(-0.0)).isEqualTo("-0");
        assertThat(LuaValues.number14g(-0.0)).isEqualTo("-0");
    }

    @Test
    void number14gPrintsAsLuaJit() {
        assertThat(LuaValues.number14g(4294967296.0)).isEqualTo("4294967296");
        assertThat(LuaValues.number14g(1e20)).isEqualTo("1e+20");
        assertThat(LuaValues.number14g(1e-5)).isEqualTo("1e-05");
        assertThat(LuaValues.number14g(1.0 / 3)).isEqualTo("0.33333333333333");
        assertThat(LuaValues.number14g(Double.NaN)).isEqualTo("nan");
        assertThat(LuaValues.number14g(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    }

    @Test
    void toNumberOfASettingValue() {
        assertThat(LuaValues.toNumber(301)).contains(301.0);
        assertThat(LuaValues.toNumber(" 0x10 ")).contains(16.0);
        assertThat(LuaValues.toNumber("1e2")).contains(100.0);
        assertThat(LuaValues.toNumber("\u001f12")).contains(12.0);
        assertThat(LuaValues.toNumber("-0x10")).isEmpty();
        assertThat(LuaValues.toNumber("12abc")).isEmpty();
        assertThat(LuaValues.toNumber(true)).isEmpty();
    }
}
