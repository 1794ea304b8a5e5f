package dev.graft.modules.waf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JsonBody accepts and refuses what cjson.safe.decode does (lua-host's measured JsonDecoder). */
class JsonBodyTest {

    @ParameterizedTest
    @ValueSource(strings = {"{}", "[]", "\"s\"", "1", "-1.5e3", "+1", "0x1F", "1.", "01", "inf", "-Infinity", "NaN",
        "true", "null", " {\"a\" : [1, {\"b\": null}]} ", "\"\\u00e9\\ud83d\\ude00\"", "[1,2]\n"})
    void accepts(String json) {
        assertThat(JsonBody.decode(json)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[1,]", "{\"a\":1,}", "[,1]", "{a:1}", "'s'", "\"\\x\"", "\"\\ud800\"",
        "\"\\udc00\"", "\"\\u12\"", "tru", "nul", "1 2", "{\"a\" 1}", "-", ".5", "[1 2]", "\"open", "// c\n1"})
    void refuses(String json) {
        assertThat(JsonBody.decode(json)).isEmpty();
    }

    @Test
    void nestingOver1000IsRefusedAsCjsonDoes() {
        assertThat(JsonBody.decode("[".repeat(1000) + "]".repeat(1000))).isPresent();
        assertThat(JsonBody.decode("[".repeat(1001) + "]".repeat(1001))).isEmpty();
    }

    @Test
    void unicodeEscapesBecomeUtf8Bytes() {
        assertThat(JsonBody.decode("\"\\u00e9\"")).contains("\u00c3\u00a9");
        assertThat(JsonBody.decode("\"\\ud83d\\ude00\"")).contains("\u00f0\u009f\u0098\u0080");
    }

    @Test
    void walkVisitsSortedKeysAndCountsLeaves() {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        Object doc = JsonBody.decode("{\"b\":[\"x\",1,true,null],\"a\":{\"c\":\"y\"},\"B\":\"z\"}").orElseThrow();
        JsonBody.Walk w = JsonBody.walk(doc, 1, names, values);
        assertThat(names).containsExactly("B", "a", "c", "b");
        assertThat(values).containsExactly("z", "y", "x");
        assertThat(w).isEqualTo(new JsonBody.Walk(6, false));
    }

    @Test
    void walkStopsOver32Levels() {
        List<String> values = new ArrayList<>();
        Object ok = JsonBody.decode("[".repeat(31) + "\"s\"" + "]".repeat(31)).orElseThrow();
        assertThat(JsonBody.walk(ok, 1, new ArrayList<>(), values)).isEqualTo(new JsonBody.Walk(1, false));
        Object deep = JsonBody.decode("[\"a\"," + "[".repeat(32) + "\"s\"" + "]".repeat(32) + ",\"b\"]").orElseThrow();
        List<String> seen = new ArrayList<>();
        assertThat(JsonBody.walk(deep, 1, new ArrayList<>(), seen)).isEqualTo(new JsonBody.Walk(1, true));
        assertThat(seen).containsExactly("a");
    }
}
