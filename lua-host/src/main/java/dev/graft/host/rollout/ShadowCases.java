package dev.graft.host.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.host.config.GraftConfig;
import java.util.List;
import java.util.Locale;

/**
 * A shadow mismatch as a legacy case (legacy-scripts/README.md, "Cases"): the customer's
 * module settings, the request as it reached the stage (Host left to the harness, redacted
 * headers as {@code <redacted>}), and expectations taken from the serving Lua side for the
 * differing paths a case can express: an exit status ({@code exit}), response headers
 * ({@code null} when Lua had none), and request headers as the origin sees them. Differences
 * on variables, ctx or the URI are named in the case's {@code name} only (a case cannot
 * express them; the parity check compares them as effects).
 */
final class ShadowCases {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ShadowCases() {}

    static ObjectNode legacyCase(ShadowLab.ShadowMismatch m, GraftConfig running) {
        ObjectNode c = JSON.createObjectNode();
        List<String> paths = m.diffs().stream().map(ShadowLab.Diff::path).toList();
        c.put("name", "shadow mismatch in " + m.module() + " (" + m.phase() + ", request " + m.requestId() + " at "
                + m.time() + "): " + String.join(", ", paths));
        JsonNode settings = running.raw().path("customers").path(m.customer()).path("modules");
        c.set("modules", settings.isObject() ? settings.deepCopy() : JSON.createObjectNode());
        ObjectNode step = c.putArray("steps").addObject();
        ObjectNode req = step.putObject("request");
        req.put("method", m.request().method()).put("path", m.request().target());
        ArrayNode hs = req.putArray("headers");
        for (List<String> h : m.request().headers()) {
            if (!h.get(0).equalsIgnoreCase("host")) {
                hs.addArray().add(h.get(0)).add(h.get(1));
            }
        }
        ObjectNode expect = step.putObject("expect");
        for (ShadowLab.Diff d : m.diffs()) {
            if (d.path().equals("exit") && !d.lua().equals(ShadowLab.Diff.ABSENT)) {
                expect.put("status", Integer.parseInt(d.lua()));
            } else if (d.path().startsWith("response.header.")) {
                String name = d.path().substring("response.header.".length());
                ObjectNode headers = expect.has("headers") ? (ObjectNode) expect.get("headers")
                        : expect.putObject("headers");
                if (d.lua().equals(ShadowLab.Diff.ABSENT)) {
                    headers.putNull(name);
                } else {
                    headers.put(name, d.lua());
                }
            } else if (d.path().startsWith("request.header.") && !d.lua().equals(ShadowLab.Diff.ABSENT)) {
                ObjectNode origin = expect.has("origin") ? (ObjectNode) expect.get("origin")
                        : expect.putObject("origin");
                ObjectNode headers = origin.has("headers") ? (ObjectNode) origin.get("headers")
                        : origin.putObject("headers");
                headers.put(d.path().substring("request.header.".length()).toLowerCase(Locale.ROOT), d.lua());
            }
        }
        return c;
    }
}
