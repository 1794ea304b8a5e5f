package dev.graft.modules.accesslog;

import static dev.graft.modules.testing.PlainLua.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.modules.testing.PlainLua;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link JsonLine} and handler.lua's own encode (lua5.1) on 20000 generated strings and numbers. */
class AccesslogLuaParityTest {

    @Test
    void stringsAndNumbersEncodeAsInLua() throws Exception {
        Random r = new Random(3);
        List<String> lines = new ArrayList<>();
        List<String> java = new ArrayList<>();
        for (int i = 0; i < 20000; i++) {
            if (r.nextBoolean()) {
                StringBuilder s = new StringBuilder();
                for (int k = r.nextInt(40); k > 0; k--) {
                    s.append((char) (r.nextInt(4) == 0 ? r.nextInt(256) : 'a' + r.nextInt(3)));
                }
                int max = 16 + r.nextInt(20);
                lines.add("s\t" + hex(s.toString()) + "\t" + max);
                java.add(hex(JsonLine.string(s.toString(), max)));
            } else {
                double n = switch (r.nextInt(4)) {
                    case 0 -> r.nextInt(5000) - 2500;
                    case 1 -> (r.nextInt(2000000) - 1000000) / 1000.0 + r.nextInt(2) * 0.0005;
                    case 2 -> r.nextDouble() * Math.pow(10, r.nextInt(20) - 5) * (r.nextBoolean() ? 1 : -1);
                    default -> (double) r.nextLong(1L << 54);
                };
                lines.add("n\t" + String.format(Locale.ROOT, "%.17g", n));
                java.add(hex(JsonLine.number(n)));
            }
        }
        List<String> lua = PlainLua.run("accesslog", lines);
        assertThat(lua).hasSize(lines.size());
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!java.get(i).equals(lua.get(i))) {
                differences.add(lines.get(i) + ": java " + java.get(i) + ", lua " + lua.get(i));
            }
        }
        assertThat(differences).isEmpty();
    }
}
