package dev.graft.modules.headers;

import static dev.graft.modules.testing.PlainLua.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.modules.testing.FakeExchange;
import dev.graft.modules.testing.PlainLua;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Java stage and handler.lua itself (lua5.1, a stub ngx whose set_header / ngx.header do
 * what Graft's NgxReq / NgxResponse do) on 20000 generated requests and responses.
 */
class HeadersLuaParityTest {

    private static final String[] REQUEST = {"X-Drop", "x-drop2", "X-Set", "X-Add", "x-add", "X-Under", "X-A",
        "Other", "X-Empty", "X-Num"};
    private static final String[] RESPONSE = {"X-R", "Content-Type", "Set-Cookie", "Server", "X-Powered-By", "X-E",
        "Cache-Control", "X-U", "Strict-Transport-Security"};

    private static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** The settings the driver numbers 1..2, in its order. */
    private static final List<HeadersConfig> SETTINGS = List.of(
            new HeadersConfig(
                    Optional.of(new HeaderEdits(Optional.of(List.of("X-Drop", "x-drop2")),
                            Optional.of(obj("X-Set", List.of("a", "b"), "x-set", "c", "X-Empty", "", "X-Num", 15)),
                            Optional.of(obj("X-Add", "1", "x-add", List.of("2", "3"), "X_Under", "u")))),
                    Optional.of(new HeaderEdits(Optional.of(List.of("X-R")),
                            Optional.of(obj("Cache-Control", "no-store", "X-E", "")),
                            Optional.of(obj("Set-Cookie", List.of("a=1", "b=2"), "Content-Type", "text/plain", "X_U", "u")))),
                    Optional.of(true), Optional.of(true), Optional.of("DENY"), Optional.empty(), Optional.empty(),
                    Optional.empty()),
            new HeadersConfig(
                    Optional.of(new HeaderEdits(Optional.empty(), Optional.of(obj("x-drop", List.of("", ""))),
                            Optional.of(obj("X-A", "1", "x-a", "2")))),
                    Optional.of(new HeaderEdits(Optional.empty(), Optional.of(obj("Server", "me")),
                            Optional.of(obj("server", "x", "X-Powered-By", List.of("a", ""))))),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of(false)));

    private static List<String[]> lines(Random r, String[] names) {
        List<String[]> out = new ArrayList<>();
        for (int k = r.nextInt(5); k > 0; k--) {
            String name = names[r.nextInt(names.length)];
            out.add(new String[] {r.nextBoolean() ? name : name.toUpperCase(java.util.Locale.ROOT), "v" + r.nextInt(3)});
        }
        return out;
    }

    private static String show(List<String[]> lines) {
        List<String> out = new ArrayList<>();
        for (String[] nv : lines) {
            out.add(hex(nv[0]) + "=" + hex(nv[1]));
        }
        return String.join(",", out);
    }

    private static String show(FakeExchange.FakeHeaders h) {
        List<String[]> out = new ArrayList<>();
        for (String line : h.lines()) {
            int colon = line.indexOf(": ");
            out.add(new String[] {line.substring(0, colon), line.substring(colon + 2)});
        }
        return show(out);
    }

    @Test
    void javaDoesWhatTheLuaModuleDoes() throws Exception {
        Random r = new Random(9);
        List<Object[]> inputs = new ArrayList<>();
        List<String> input = new ArrayList<>();
        for (int i = 0; i < 20000; i++) {
            int c = 1 + r.nextInt(SETTINGS.size());
            List<String[]> req = lines(r, REQUEST);
            List<String[]> resp = lines(r, RESPONSE);
            inputs.add(new Object[] {c, req, resp});
            input.add(c + "\t" + show(req) + "\t" + show(resp));
        }
        List<String> lua = PlainLua.run("headers", input);
        assertThat(lua).hasSize(inputs.size());
        HeadersStage stage = new HeadersStage();
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Object[] in = inputs.get(i);
            FakeExchange x = FakeExchange.get("/");
            @SuppressWarnings("unchecked")
            List<String[]> req = (List<String[]>) in[1];
            @SuppressWarnings("unchecked")
            List<String[]> resp = (List<String[]>) in[2];
            req.forEach(nv -> x.requestHeader(nv[0], nv[1]));
            resp.forEach(nv -> x.responseHeader(nv[0], nv[1]));
            HeadersConfig c = SETTINGS.get((Integer) in[0] - 1);
            stage.rewrite(x, c);
            stage.headerFilter(x, c);
            String java = show(x.requestHeaders()) + "\t" + show(x.responseHeaders());
            if (!java.equals(lua.get(i))) {
                differences.add(input.get(i) + ": java " + java + ", lua " + lua.get(i));
            }
        }
        assertThat(differences).isEmpty();
    }
}
