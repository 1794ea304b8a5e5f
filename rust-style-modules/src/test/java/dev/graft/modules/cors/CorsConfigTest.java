package dev.graft.modules.cors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.graft.modules.testing.Json;
import dev.graft.modules.testing.RecordBinder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CorsConfigTest {

    private static CorsConfig conf(String json) {
        return RecordBinder.bind(Json.parse(json), CorsConfig.class);
    }

    @Test
    void defaultsAreTheLuaModules() {
        CorsConfig c = CorsConfig.defaults();
        assertThat(c.methodList()).containsExactly("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");
        assertThat(c.allowHeaders()).isEmpty();
        assertThat(c.expose()).isEmpty();
        assertThat(c.maxAgeValue()).hasValue("600");
        assertThat(c.preflight()).isEqualTo(204);
        assertThat(c.allowCredentials()).isFalse();
        assertThat(c.any()).isFalse();
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void emptyListsAreKeptAndNegativeMaxAgeIsOff() {
        CorsConfig c = conf("{\"methods\": [], \"headers\": [], \"max_age\": -1, \"origins\": [\"*\", \"HTTPS://A.test\"]}");
        assertThat(c.methodList()).isEmpty();
        assertThat(c.allowHeaders()).hasValue("");
        assertThat(c.maxAgeValue()).isEmpty();
        assertThat(c.any()).isTrue();
        assertThat(c.exact("https://a.test")).isTrue();
    }

    @Test
    void refusesAPreflightStatusOutsideHttp() {
        assertThatThrownBy(() -> conf("{\"preflight_status\": 1000}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("preflightStatus: 1000 (expected: an HTTP status, 100..999)");
    }

    @Test
    void unusableEntriesAreWordedAsTheLuaLogLines() {
        CorsConfig c = conf("{\"origins\": [\"\", \"https://a.test\"], \"origin_patterns\": [\"\", \"(\", \"ok\"],"
                + " \"expose_headers\": [null]}");
        assertThat(c.originPatterns().orElseThrow().get(1).error()).isPresent();
        assertThat(c.problems()).hasSize(4);
        assertThat(c.problems().get(0)).isEqualTo("cors: origins[1]: not a string, ignored");
        assertThat(c.problems().get(1)).isEqualTo("cors: origin_patterns[1]: not a string, ignored");
        assertThat(c.problems().get(2)).startsWith("cors: origin_patterns[1]: ( (expected: a regex; pcre_compile() failed: ")
                .endsWith("), ignored");
        assertThat(c.problems().get(3)).isEqualTo("cors: expose_headers[1]: not a string, ignored");
        assertThat(c.preflightStatus()).isEqualTo(Optional.empty());
    }
}
