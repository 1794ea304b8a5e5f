package dev.graft.tests.crosscheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.tests.harness.ClientResult;
import dev.graft.tests.harness.Header;
import dev.graft.tests.harness.RawResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Compares nginx's answer with Graft's to the same request: status, headers (per name, values in
 * order; the order between different names is each server's own), and body — an echo origin's
 * JSON parsed and compared field by field. Everything is compared except {@link #EXPECTED_DIFFERENCES},
 * which applies to the response headers and to the headers the echo origin saw.
 */
public final class ResponseComparison {

    /**
     * The one list of what may differ, each with its reason. Not in it on purpose: ETag and
     * Last-Modified from the bucket (the demo bucket derives them from content and a fixed date,
     * so they must match), and every header a module sets.
     */
    public static final List<ExpectedDifference> EXPECTED_DIFFERENCES = List.of(
            new ExpectedDifference.Header("date", "each server stamps its own clock"),
            new ExpectedDifference.Header("server", "the product's own name: nginx/1.22.1 here, Graft's there"),
            new ExpectedDifference.Header("connection", "connection management is each server's own; the harness "
                    + "sends Connection: close and uses one connection per request"),
            new ExpectedDifference.Header("keep-alive", "connection management, as Connection"),
            new ExpectedDifference.Header("content-length", "framing: nginx chunks what Lua prints and forwards request "
                    + "bodies with a length, Graft may frame either way; the body bytes (body_bytes at the origin) are compared"),
            new ExpectedDifference.Header("transfer-encoding", "framing, as Content-Length"),
            new ExpectedDifference.Header("x-request-id", "a random id per request ($request_id) on both"),
            new ExpectedDifference.SecondsOnTheClock("ratelimit-reset", "seconds to the end of the rate-limit window; "
                    + "the two requests may straddle a second"),
            new ExpectedDifference.SecondsOnTheClock("retry-after", "as RateLimit-Reset, on a refusal"),
            new ExpectedDifference.RequestIdInBody("error pages (the WAF's block page) print the random request id; "
                    + "any run of exactly 32 lower-case hex digits in a body is masked, so a 32-hex digest in a body "
                    + "is not compared either"),
            new ExpectedDifference.ServerNameInErrorPages("the product's own name, as the Server header: nginx's "
                    + "default pages end in <hr><center>nginx/1.22.1</center>"));

    private static final Set<String> IGNORED = EXPECTED_DIFFERENCES.stream()
            .<String>mapMulti((e, out) -> {
                if (e instanceof ExpectedDifference.Header h) {
                    out.accept(h.name());
                }
            })
            .collect(Collectors.toUnmodifiableSet());

    private static final Set<String> CLOCK_SECONDS = EXPECTED_DIFFERENCES.stream()
            .<String>mapMulti((e, out) -> {
                if (e instanceof ExpectedDifference.SecondsOnTheClock c) {
                    out.accept(c.name());
                }
            })
            .collect(Collectors.toUnmodifiableSet());

    private static final Pattern REQUEST_ID = Pattern.compile("(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])");
    private static final Pattern SIGNATURE = Pattern.compile("(?<=<hr><center>)[^<]*(?=</center>)");

    private static final JsonMapper JSON = new JsonMapper();

    private ResponseComparison() {}

    /** Every difference, each as {@code what: nginx gave X, graft gave Y}; empty when they agree. */
    public static List<String> compare(ClientResult nginx, ClientResult graft) {
        return switch (nginx) {
            case ClientResult.NoAnswer n -> switch (graft) {
                case ClientResult.NoAnswer g -> List.of();
                case ClientResult.Answered g -> List.of("answer: nginx gave none (" + n.reason() + "), graft gave "
                        + g.response().status());
            };
            case ClientResult.Answered n -> switch (graft) {
                case ClientResult.NoAnswer g -> List.of("answer: nginx gave " + n.response().status()
                        + ", graft gave none (" + g.reason() + ")");
                case ClientResult.Answered g -> compare(n.response(), g.response());
            };
        };
    }

    static List<String> compare(RawResponse nginx, RawResponse graft) {
        List<String> diffs = new ArrayList<>();
        if (nginx.status() != graft.status()) {
            // headers and body follow from the status (an nginx refusal never reaches the modules):
            // listing them too would only repeat this difference under other names
            diffs.add("status: nginx gave " + nginx.status() + ", graft gave " + graft.status());
            return diffs;
        }
        Map<String, List<String>> n = byName(nginx.headers());
        Map<String, List<String>> g = byName(graft.headers());
        Set<String> names = new TreeSet<>(n.keySet());
        names.addAll(g.keySet());
        for (String name : names) {
            List<String> nv = n.getOrDefault(name, List.of());
            List<String> gv = g.getOrDefault(name, List.of());
            if (!nv.equals(gv) && !(CLOCK_SECONDS.contains(name) && withinASecond(nv, gv))) {
                diffs.add("header " + name + ": nginx gave " + shown(nv) + ", graft gave " + shown(gv));
            }
        }
        compareBodies(nginx, graft, diffs);
        return diffs;
    }

    private static void compareBodies(RawResponse nginx, RawResponse graft, List<String> diffs) {
        if (Arrays.equals(nginx.body(), graft.body())) {
            return;
        }
        JsonNode ne = echo(nginx);
        JsonNode ge = echo(graft);
        if (ne == null || ge == null) {
            if (masked(nginx.bodyText()).equals(masked(graft.bodyText()))) {
                return;
            }
            diffs.add("body: nginx gave " + quoted(nginx.bodyText()) + ", graft gave " + quoted(graft.bodyText()));
            return;
        }
        Set<String> fields = new TreeSet<>();
        ne.fieldNames().forEachRemaining(fields::add);
        ge.fieldNames().forEachRemaining(fields::add);
        for (String field : fields) {
            JsonNode nv = ne.get(field);
            JsonNode gv = ge.get(field);
            if (field.equals("headers") && nv != null && gv != null) {
                Set<String> names = new TreeSet<>();
                nv.fieldNames().forEachRemaining(names::add);
                gv.fieldNames().forEachRemaining(names::add);
                names.removeAll(IGNORED);
                for (String name : names) {
                    if (!java.util.Objects.equals(nv.get(name), gv.get(name))) {
                        diffs.add("origin header " + name + ": nginx sent " + jsonShown(nv.get(name))
                                + ", graft sent " + jsonShown(gv.get(name)));
                    }
                }
            } else if (!java.util.Objects.equals(nv, gv)) {
                diffs.add("origin " + field + ": nginx sent " + jsonShown(nv) + ", graft sent " + jsonShown(gv));
            }
        }
    }

    private static boolean withinASecond(List<String> a, List<String> b) {
        if (a.size() != 1 || b.size() != 1) {
            return false;
        }
        try {
            return Math.abs(Long.parseLong(a.get(0).trim()) - Long.parseLong(b.get(0).trim())) <= 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String masked(String body) {
        // The signature first: a signature line that names the request id (Graft's 502/504 and
        // Lua 500 pages) is masked whole; masking the id first would leave a '<' in it.
        String out = SIGNATURE.matcher(body).replaceAll("<server>");
        return REQUEST_ID.matcher(out).replaceAll("<request-id>");
    }

    /** The echo document, if this is an echo origin's answer. */
    private static JsonNode echo(RawResponse response) {
        try {
            JsonNode doc = JSON.readTree(response.body());
            return doc instanceof ObjectNode && doc.has("server") && doc.has("headers") ? doc : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Map<String, List<String>> byName(List<Header> headers) {
        Map<String, List<String>> out = new TreeMap<>();
        for (Header h : headers) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (!IGNORED.contains(name)) {
                out.computeIfAbsent(name, k -> new ArrayList<>()).add(h.value());
            }
        }
        return out;
    }

    private static String shown(List<String> values) {
        if (values.isEmpty()) {
            return "none";
        }
        return values.size() == 1 ? "\"" + values.get(0) + "\"" : values.toString();
    }

    private static String jsonShown(JsonNode value) {
        return value == null ? "none" : value.toString();
    }

    private static String quoted(String s) {
        String shown = s.length() > 300 ? s.substring(0, 300) + "..." : s;
        return "\"" + shown.replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }
}
