package dev.graft.host.lua;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.shared.SharedDicts;
import dev.graft.host.lua.lib.NgxLibraries;
import dev.graft.host.lua.ngx.NgxApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Keeps docs/ngx-api.md true: every function the host puts in {@code ngx} is documented, every
 * {@code ngx.*} function a row calls implemented (yes/partial) exists, and every one it calls
 * missing (no) is absent.
 */
class NgxApiDocTest {

    private static final Path DOC = Path.of("..", "docs", "ngx-api.md");
    /** A backticked API name: ngx.a, ngx.a.b, ngx.a.b.c, as the first thing inside the backticks. */
    private static final Pattern NAME = Pattern.compile("`(ngx(?:\\.[a-z_0-9]+)+)");

    @TempDir
    static Path scripts;

    private static String doc;
    private static LuaTable ngx;

    @BeforeAll
    static void vm() throws IOException {
        doc = Files.readString(DOC);
        SharedDicts dicts = SharedDicts.of(Map.of("dict", 1L << 20), InstantSource.fixed(Instant.EPOCH));
        LuaVm vm = LuaVm.create(LuaScripts.open(scripts), new NgxApi.Settings(0, 1, "origin"), 100_000,
                List.of((g, t) -> NgxLibraries.installAll(g, t, dicts, InstantSource.fixed(Instant.EPOCH))));
        ngx = (LuaTable) vm.globals().get("ngx");
    }

    @Test
    void everyFunctionInTheNgxTableIsDocumented() {
        List<String> undocumented = new ArrayList<>();
        for (String fn : functions(ngx, "ngx", 0)) {
            String last = fn.substring(fn.lastIndexOf('.') + 1);
            String parent = fn.substring(0, fn.lastIndexOf('.'));
            boolean named = Pattern.compile("`" + Pattern.quote(fn) + "\\b").matcher(doc).find();
            // a row may list siblings by their short name: `ngx.req.set_header(..)` / `clear_header(..)`
            boolean listed = doc.lines().filter(l -> l.startsWith("|") && l.contains("`" + parent + "."))
                    .anyMatch(l -> Pattern.compile("`" + Pattern.quote(last) + "\\b").matcher(l).find());
            if (!named && !listed) {
                undocumented.add(fn);
            }
        }
        assertThat(undocumented).as("ngx functions missing from docs/ngx-api.md").isEmpty();
    }

    @Test
    void rowsSayingYesOrPartialNameFunctionsThatExistAndRowsSayingNoNameAbsentOnes() {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (String line : doc.lines().toList()) {
            String[] cells = line.split("\\|");
            if (cells.length < 3 || !cells[1].trim().startsWith("`ngx.")) {
                continue;
            }
            String status = cells[2].trim();
            if (!status.equals("yes") && !status.equals("partial") && !status.equals("no")) {
                continue;
            }
            Matcher m = NAME.matcher(cells[1]);
            while (m.find()) {
                String name = m.group(1);
                if (name.startsWith("ngx.var.") || name.startsWith("ngx.header.") || name.startsWith("ngx.arg")
                        || name.startsWith("ngx.ctx.") || name.startsWith("ngx.shared.")
                        || name.equals("ngx.status") || name.equals("ngx.ctx")) {
                    continue; // views and request properties (read through a metatable), not functions
                }
                if (cells[1].contains(name + "*") || cells[1].contains(name + ".*")) {
                    continue; // a family (`ngx.timer.*`), checked by its root below when absent
                }
                boolean present = !lookup(name).isnil();
                checked++;
                if (status.equals("no") == present) {
                    wrong.add(name + " is " + (present ? "present" : "absent") + " but the doc says " + status);
                }
            }
        }
        assertThat(checked).isGreaterThan(40);
        assertThat(wrong).isEmpty();
    }

    private static LuaValue lookup(String dotted) {
        LuaValue v = ngx;
        String[] parts = dotted.split("\\.");
        for (int i = 1; i < parts.length && !v.isnil(); i++) {
            v = v.istable() ? v.rawget(parts[i]) : LuaValue.NIL;
        }
        return v;
    }

    private static TreeSet<String> functions(LuaTable t, String prefix, int depth) {
        TreeSet<String> out = new TreeSet<>();
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            if (!k.isstring()) {
                continue;
            }
            LuaValue v = n.arg(2);
            String name = prefix + "." + k.tojstring();
            if (v.isfunction()) {
                out.add(name);
            } else if (v.istable() && depth < 2 && !name.equals("ngx.shared")) {
                out.addAll(functions((LuaTable) v, name, depth + 1));
            }
        }
        return out;
    }
}
