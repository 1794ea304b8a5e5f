package dev.graft.host.lua.lib;

import dev.graft.bridge.shared.SharedDicts;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * A bare LuaJ VM with this package's libraries installed into a fresh {@code ngx}, a
 * clock the test moves, and helpers J(...) (tostring of every value, joined by spaces)
 * and show(t) (a table's sorted k=v pairs) to compare with what OpenResty prints.
 */
final class LuaLibVm {

    /** A clock that only moves when the test says so. */
    static final class TestClock implements InstantSource {
        long millis;

        TestClock(long millis) {
            this.millis = millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    private static final String PRELUDE = """
            function J(...)
              local t = {}
              for i = 1, select('#', ...) do t[i] = tostring((select(i, ...))) end
              return table.concat(t, " ")
            end
            function show(m)
              if type(m) ~= "table" then return tostring(m) end
              local t = {}
              for k, v in pairs(m) do
                if type(v) == "table" then v = "{" .. table.concat(v, ",") .. "}" end
                t[#t + 1] = tostring(k) .. "=" .. tostring(v)
              end
              table.sort(t)
              return "{" .. table.concat(t, ",") .. "}"
            end
            """;

    final Globals g;
    final LuaTable ngx;
    final TestClock clock;
    final SharedDicts dicts;
    final NgxTime time;

    private LuaLibVm(RegexCache cache) {
        g = JsePlatform.standardGlobals();
        ngx = new LuaTable();
        g.set("ngx", ngx);
        clock = new TestClock(1_700_000_000_123L);
        dicts = SharedDicts.of(Map.of("d", 12L * 1024, "big", 1024L * 1024), clock);
        time = NgxLibraries.installAll(g, ngx, dicts, clock, ZoneOffset.UTC, cache);
        g.load(PRELUDE, "prelude").call();
    }

    static LuaLibVm create() {
        return new LuaLibVm(RegexCache.withDefaults());
    }

    static LuaLibVm create(RegexCache cache) {
        return new LuaLibVm(cache);
    }

    /** Runs a chunk and returns its results through tostring, joined by spaces. */
    String run(String lua) {
        Varargs v = g.load(lua, "test").invoke();
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= v.narg(); i++) {
            if (i > 1) {
                sb.append(' ');
            }
            LuaValue x = v.arg(i);
            sb.append(x.tojstring());
        }
        return sb.toString();
    }
}
