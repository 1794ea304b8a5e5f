package dev.graft.modules.redirects;

import static dev.graft.modules.testing.PlainLua.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.Outcome;
import dev.graft.modules.testing.FakeExchange;
import dev.graft.modules.testing.PlainLua;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Java stage and handler.lua itself (lua5.1, stub ngx) on 20000 generated paths: exact and
 * prefix rules, ignore_case, keep_query, string statuses, re-escaping (regex rules need ngx.re,
 * which plain Lua lacks: the legacy cases and the unit tests cover them).
 */
class RedirectsLuaParityTest {

    private static final String[] PIECES = {"/", "/", "old", "Old", "docs", "DOCS", "f", "A", "a", "x", " ", "\r",
        "\n", "%", "?", "\u00e9", "\u0080", "~", "!", "'", "[", "."};

    /** The settings the driver numbers 1..2, in its order. */
    private static final List<RedirectsConfig> SETTINGS = List.of(
            RedirectsConfig.of(RedirectRule.of("exact", "/old", "/new", 301),
                    RedirectRule.of("prefix", "/docs", "https://d.test/v2", 301),
                    new RedirectRule(Optional.of("prefix"), Optional.of("/f/"), Optional.of("/files?x=1"),
                            Optional.of("302"), Optional.of(true), Optional.empty())),
            RedirectsConfig.of(RedirectRule.of("prefix", "/A", "/b", 308).withIgnoreCase(true),
                    RedirectRule.of("exact", "/Old", "/n", 301).withIgnoreCase(true).withKeepQuery(false),
                    RedirectRule.of("prefix", "/", "/root", 307)));

    @Test
    void javaDoesWhatTheLuaModuleDoes() throws Exception {
        Random r = new Random(5);
        List<String[]> inputs = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20000; i++) {
            StringBuilder path = new StringBuilder("/");
            for (int k = r.nextInt(6); k > 0; k--) {
                path.append(PIECES[r.nextInt(PIECES.length)]);
            }
            String args = switch (r.nextInt(4)) {
                case 0 -> "-";
                case 1 -> "";
                case 2 -> "a=1&b";
                default -> "q=%41";
            };
            String[] in = {path.toString(), args, String.valueOf(1 + r.nextInt(SETTINGS.size()))};
            inputs.add(in);
            lines.add(hex(in[0]) + "\t" + (args.equals("-") ? "-" : hex(args)) + "\t" + in[2]);
        }
        List<String> lua = PlainLua.run("redirects", lines);
        assertThat(lua).hasSize(inputs.size());
        RedirectsStage stage = new RedirectsStage();
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String[] in = inputs.get(i);
            FakeExchange x = new FakeExchange().uri(in[0]);
            if (!in[1].equals("-")) {
                x.request().args(in[1]);
            }
            Outcome out = stage.rewrite(x, SETTINGS.get(Integer.parseInt(in[2]) - 1));
            String java = out instanceof Outcome.Exit e
                    ? e.status() + "\t" + hex(e.headers().get(0).getValue()) : "nil";
            if (!java.equals(lua.get(i))) {
                differences.add(String.join(" | ", in) + ": java " + java + ", lua " + lua.get(i));
            }
        }
        assertThat(differences).isEmpty();
    }
}
