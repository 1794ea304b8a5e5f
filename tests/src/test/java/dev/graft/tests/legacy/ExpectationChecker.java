package dev.graft.tests.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.graft.tests.harness.RawResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a response against a step's expectation and lists every difference as
 * {@code what: got (expected: want)}; an empty list means the step passed.
 */
public final class ExpectationChecker {

    private static final JsonMapper JSON = new JsonMapper();

    private ExpectationChecker() {}

    public static List<String> check(CaseExpectation expect, RawResponse response) {
        List<String> diffs = new ArrayList<>();
        expect.status().ifPresent(want -> {
            if (want != response.status()) {
                diffs.add("status: " + response.status() + " (expected: " + want + ")");
            }
        });
        for (Map.Entry<String, HeaderExpectation> h : expect.headers().entrySet()) {
            String name = h.getKey();
            List<String> got = response.values(name);
            switch (h.getValue()) {
                case HeaderExpectation.Absent a -> {
                    if (!got.isEmpty()) {
                        diffs.add("header " + name + ": " + shown(got) + " (expected: absent)");
                    }
                }
                case HeaderExpectation.Value v -> {
                    if (got.isEmpty()) {
                        diffs.add("header " + name + ": absent (expected: \"" + v.value() + "\")");
                    } else if (!String.join(", ", got).equals(v.value())) {
                        diffs.add("header " + name + ": " + shown(got) + " (expected: \"" + v.value() + "\")");
                    }
                }
                case HeaderExpectation.Values vs -> {
                    if (!got.equals(vs.values())) {
                        diffs.add("header " + name + ": " + (got.isEmpty() ? "absent" : shown(got)) + " (expected: " + shown(vs.values()) + ")");
                    }
                }
            }
        }
        String text = response.bodyText();
        expect.body().ifPresent(want -> {
            if (!want.equals(text)) {
                diffs.add("body: " + quoted(text) + " (expected: " + quoted(want) + ")");
            }
        });
        for (String part : expect.bodyContains()) {
            if (!text.contains(part)) {
                diffs.add("body: " + quoted(text) + " (expected: to contain " + quoted(part) + ")");
            }
        }
        expect.origin().ifPresent(want -> checkOrigin(want, text, diffs));
        return diffs;
    }

    private static void checkOrigin(JsonNode want, String text, List<String> diffs) {
        JsonNode echo;
        try {
            echo = JSON.readTree(text);
        } catch (IOException e) {
            echo = null;
        }
        if (echo == null || !echo.isObject() || !echo.has("server")) {
            diffs.add("origin: the response is not an echo origin's JSON: " + quoted(text));
            return;
        }
        for (Map.Entry<String, JsonNode> field : want.properties()) {
            String key = field.getKey();
            if (key.equals("headers")) {
                for (Map.Entry<String, JsonNode> h : field.getValue().properties()) {
                    JsonNode got = echo.path("headers").get(h.getKey().toLowerCase(java.util.Locale.ROOT));
                    JsonNode wantValue = h.getValue();
                    if (wantValue.isNull()) {
                        if (got != null) {
                            diffs.add("origin header " + h.getKey() + ": " + got + " (expected: absent)");
                        }
                    } else if (got == null) {
                        diffs.add("origin header " + h.getKey() + ": absent (expected: " + wantValue + ")");
                    } else if (!got.equals(wantValue)) {
                        diffs.add("origin header " + h.getKey() + ": " + got + " (expected: " + wantValue + ")");
                    }
                }
            } else {
                JsonNode got = echo.get(key);
                if (got == null || !got.equals(field.getValue())) {
                    diffs.add("origin " + key + ": " + (got == null ? "absent" : got) + " (expected: " + field.getValue() + ")");
                }
            }
        }
    }

    /** One value as "v", several as ["a", "b"]: an empty value stays visible. */
    private static String shown(List<String> values) {
        if (values.size() == 1) {
            return "\"" + values.get(0) + "\"";
        }
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            out.append(i == 0 ? "\"" : ", \"").append(values.get(i)).append('"');
        }
        return out.append(']').toString();
    }

    private static String quoted(String s) {
        String shown = s.length() > 400 ? s.substring(0, 400) + "..." : s;
        return "\"" + shown.replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }
}
