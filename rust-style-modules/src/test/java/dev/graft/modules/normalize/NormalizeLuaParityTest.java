package dev.graft.modules.normalize;

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

/** The Java stage and handler.lua itself (lua5.1, stub ngx) on 20000 generated targets and Hosts. */
class NormalizeLuaParityTest {

    private static final String[] PIECES = {"/", "/", ".", ".", "%", "2", "f", "F", "e", "E", "4", "1", "7", "a",
        "Z", "0", "~", " ", "\u0080", "%2e", "%2f", "%41", "%7E", "%00", "//", "/..", "/.", "?", ";", "\0"};
    private static final String[] HOSTS = {"Shop.TEST:80", "shop.test", "a:", "[::1]:80", "[::1]:443", "x:443", "",
        "[::1", "A.b:8080", ":80"};

    /** The settings the driver numbers 1..6, in its order. */
    private static final List<NormalizeConfig> SETTINGS = settings();

    @Test
    void javaDoesWhatTheLuaModuleDoes() throws Exception {
        Random r = new Random(7);
        List<String[]> inputs = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20000; i++) {
            StringBuilder t = new StringBuilder(r.nextInt(10) == 0 ? "" : "/");
            for (int k = r.nextInt(12); k > 0; k--) {
                t.append(PIECES[r.nextInt(PIECES.length)]);
            }
            String[] in = {t.toString(), HOSTS[r.nextInt(HOSTS.length)], r.nextBoolean() ? "http" : "https",
                String.valueOf(1 + r.nextInt(SETTINGS.size()))};
            inputs.add(in);
            lines.add(hex(in[0]) + "\t" + hex(in[1]) + "\t" + in[2] + "\t" + in[3]);
        }
        List<String> lua = PlainLua.run("normalize", lines);
        assertThat(lua).hasSize(inputs.size());
        NormalizeStage stage = new NormalizeStage();
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String[] in = inputs.get(i);
            FakeExchange x = new FakeExchange().target(in[0]).scheme(in[2]);
            if (!in[1].isEmpty()) {
                x.requestHeader("Host", in[1]);
            }
            Outcome out = stage.rewrite(x, SETTINGS.get(Integer.parseInt(in[3]) - 1));
            List<String> hosts = x.requestHeaders().all("Host");
            String host = in[1].isEmpty() || hosts.equals(List.of(in[1])) ? "-" : hosts.isEmpty() ? "REMOVED"
                    : hex(hosts.get(0));
            String java = (out instanceof Outcome.Exit e ? String.valueOf(e.status()) : "nil") + "\t"
                    + (x.uriSet() ? hex(x.request().uri()) : "-") + "\t" + host + "\t"
                    + (x.logLines().isEmpty() ? "-" : hex(x.logLines().get(0).message()));
            if (!java.equals(lua.get(i))) {
                differences.add(String.join(" | ", in) + ": java " + java + ", lua " + lua.get(i));
            }
        }
        assertThat(differences).isEmpty();
    }

    private static List<NormalizeConfig> settings() {
        Optional<Boolean> on = Optional.empty();
        Optional<Boolean> off = Optional.of(false);
        return List.of(NormalizeConfig.defaults(), new NormalizeConfig(on, on, on, on, on, off),
                new NormalizeConfig(off, on, on, on, on, on), new NormalizeConfig(on, off, on, on, on, on),
                new NormalizeConfig(on, on, off, on, on, on), new NormalizeConfig(on, on, on, off, off, on));
    }
}
