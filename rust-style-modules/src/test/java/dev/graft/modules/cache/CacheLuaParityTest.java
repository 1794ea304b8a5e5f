package dev.graft.modules.cache;

import static dev.graft.modules.testing.PlainLua.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.modules.testing.FakeExchange;
import dev.graft.modules.testing.PlainLua;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The Java stage and handler.lua itself (lua5.1, stub ngx) on 20000 generated requests: the
 * key, the rule position and the response headers after rewrite and header_filter.
 */
class CacheLuaParityTest {

    /** The settings the driver numbers 1..4, in its order. */
    private static final List<CacheConfig> SETTINGS = List.of(
            new CacheConfig(Optional.of(List.of(CacheRule.prefix("/s", 60), new CacheRule(Optional.of("/"),
                    Optional.empty(), Optional.of(5), Optional.empty(), Optional.of(false)))), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
            new CacheConfig(Optional.of(List.of(new CacheRule(Optional.of("/a"), Optional.empty(), Optional.empty(),
                    Optional.of("no-cache"), Optional.empty()))), Optional.of("X_K"),
                    Optional.of(List.of("session", "x")), Optional.empty(), Optional.empty(), Optional.empty()),
            new CacheConfig(Optional.of(List.of(CacheRule.prefix("/", 1))), Optional.empty(), Optional.of(List.of()),
                    Optional.of(false), Optional.of(false), Optional.of(List.of(200, "302"))),
            new CacheConfig(Optional.of(List.of(CacheRule.prefix("/", 1))), Optional.of(false),
                    Optional.of(List.of("*")), Optional.empty(), Optional.empty(), Optional.empty()));

    private static String pick(Random r, String... choices) {
        return choices[r.nextInt(choices.length)];
    }

    @Test
    void javaDoesWhatTheLuaModuleDoes() throws Exception {
        Random r = new Random(11);
        List<String[]> inputs = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20000; i++) {
            // method host uri args cookie-lines authorization set-cookie cache-control status settings#
            String[] in = {pick(r, "GET", "HEAD", "POST"), pick(r, "Shop.TEST", "h", "\u00c4X"),
                pick(r, "/s/a", "/a b", "/", "/\u00fc/%", "/a/x?"), pick(r, "-", "", "b=2&a=1", "&&", "a=1&a=10&a=2", "x",
                "%41=1&a"), pick(r, "-", "session=1", "a=1; session=2", "mysession=1", "a=1|session=1", "novalue", "x=1",
                "a=1;session=1", "a=1 ;\tsession=", "a|b"), pick(r, "-", "-", "Basic x", ""), pick(r, "-", "-", "s=1"),
                pick(r, "-", "no-cache"), pick(r, "200", "302", "404", "500", "301"),
                String.valueOf(1 + r.nextInt(SETTINGS.size()))};
            inputs.add(in);
            List<String> f = new ArrayList<>();
            for (int k = 0; k < in.length; k++) {
                String v = in[k];
                if (k == 0 || k == 8 || k == 9 || v.equals("-")) {
                    f.add(v);
                } else if (k == 4) {
                    f.add(String.join("|", Arrays.stream(v.split("\\|", -1)).map(PlainLua::hex).toList()));
                } else {
                    f.add(hex(v));
                }
            }
            lines.add(String.join("\t", f));
        }
        List<String> lua = PlainLua.run("cache", lines);
        assertThat(lua).hasSize(inputs.size());
        CacheStage stage = new CacheStage();
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String[] in = inputs.get(i);
            FakeExchange x = new FakeExchange().method(in[0]).host(in[1]).uri(in[2]);
            if (!in[3].equals("-")) {
                x.request().args(in[3]);
            }
            if (!in[4].equals("-")) {
                for (String c : in[4].split("\\|", -1)) {
                    x.requestHeader("Cookie", c);
                }
            }
            if (!in[5].equals("-")) {
                x.requestHeader("Authorization", in[5]);
            }
            CacheConfig c = SETTINGS.get(Integer.parseInt(in[9]) - 1);
            stage.rewrite(x, c);
            if (!in[6].equals("-")) {
                x.responseHeader("set-cookie", in[6]);
            }
            if (!in[7].equals("-")) {
                x.responseHeader("cache-control", in[7]);
            }
            x.status(Integer.parseInt(in[8]));
            stage.headerFilter(x, c);
            Map<String, Object> ctx = x.ctxValues();
            TreeMap<String, String> headers = new TreeMap<>();
            for (String name : x.responseHeaders().names()) {
                headers.put(name, name + "=" + hex(x.responseHeaders().first(name).orElseThrow()));
            }
            String java = (ctx.containsKey("cache_key") ? hex(new String((byte[]) ctx.get("cache_key"), StandardCharsets.ISO_8859_1)) : "nil") + "\t"
                    + (ctx.containsKey("cache_rule") ? ctx.get("cache_rule") : "nil") + "\t"
                    + String.join(",", headers.values());
            if (!java.equals(lua.get(i))) {
                differences.add(String.join(" | ", in) + ": java " + java + ", lua " + lua.get(i));
            }
        }
        assertThat(differences).isEmpty();
    }
}
