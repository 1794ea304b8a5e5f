package dev.graft.host.lua.ngx;

import static dev.graft.host.lua.LuaFixture.exchange;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.Phase;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.lua.CallResult;
import dev.graft.host.lua.LuaFixture;
import dev.graft.host.lua.lib.LuaNull;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

class NgxCoreTest {

    @TempDir
    Path dir;
    LuaFixture lua;
    Exchange ex;

    @BeforeEach
    void setUp() {
        lua = LuaFixture.in(dir);
        ex = exchange("GET", "/p", "Host", "h.test");
    }

    @Test
    void ctxIsPerRequestAndLazilyCreated() {
        assertThat(ex.luaCtx()).isNull();
        lua.eval(ex, Phase.REWRITE, "ngx.ctx.customer = 'acme'");
        assertThat(ex.luaCtx()).isInstanceOf(LuaTable.class);
        assertThat(lua.eval(ex, Phase.LOG, "return ngx.ctx.customer").arg1().tojstring()).isEqualTo("acme");
        Exchange other = exchange("GET", "/q");
        assertThat(lua.eval(other, Phase.REWRITE, "return ngx.ctx.customer").arg1().isnil()).isTrue();
        lua.eval(other, Phase.REWRITE, "ngx.ctx = {replaced = true}");
        assertThat(lua.eval(other, Phase.ACCESS, "return ngx.ctx.replaced").arg1().toboolean()).isTrue();
        CallResult init = lua.vm().callInit(lua.vm().globals().load("return ngx.ctx"), LuaValue.NONE);
        assertThat(init).isInstanceOf(CallResult.Failed.class);
    }

    @Test
    void getPhase() {
        for (Phase p : Phase.values()) {
            assertThat(lua.eval(ex, p, "return ngx.get_phase()").arg1().tojstring()).isEqualTo(p.luaName());
        }
        CallResult init = lua.vm().callInit(lua.vm().globals().load("return ngx.get_phase()"), LuaValue.NONE);
        assertThat(((CallResult.Returned) init).values().arg1().tojstring()).isEqualTo("init");
    }

    @Test
    void logAcceptsLevelsAndValuesLikeOpenResty() {
        lua.eval(ex, Phase.ACCESS, "ngx.log(ngx.ERR, 'a', 1, nil, true, ngx.null) ngx.log(ngx.DEBUG, 'quiet') print('p')");
        assertThat(lua.error(ex, Phase.ACCESS, "ngx.log(ngx.ERR, {})")).contains("__tostring");
        assertThat(lua.error(ex, Phase.ACCESS, "ngx.log(99, 'x')")).contains("bad log level");
    }

    @Test
    void aLevelThatIsOffStillChecksEveryArgument() {
        // strings, numbers, nil and booleans are skipped without making text when the level is off;
        // a value that is none of them must still fail as it does when the line is written
        assertThat(lua.error(ex, Phase.ACCESS, "ngx.log(ngx.DEBUG, 'ok', 1, 2.5, nil, true, {})"))
                .contains("bad argument #7 to 'log' (expected table to have __tostring metamethod, got table)");
        assertThat(lua.error(ex, Phase.ACCESS, "ngx.log(ngx.DEBUG, print)"))
                .contains("bad argument #2 to 'log'");
        lua.eval(ex, Phase.ACCESS, "ngx.log(ngx.DEBUG, 'ok', 1, 2.5, nil, true, ngx.null,"
                + " setmetatable({}, {__tostring = function() return 't' end}))");
    }

    @Test
    void constants() {
        Varargs v = lua.eval(ex, Phase.ACCESS, """
                return ngx.OK, ngx.ERROR, ngx.AGAIN, ngx.DONE, ngx.DECLINED, ngx.HTTP_OK, ngx.HTTP_NOT_FOUND,
                       ngx.HTTP_TOO_MANY_REQUESTS, ngx.HTTP_GET, ngx.HTTP_POST, ngx.HTTP_TRACE, ngx.STDERR, ngx.ERR,
                       ngx.DEBUG, ngx.HTTP_MOVED_TEMPORARILY, ngx.HTTP_SERVICE_UNAVAILABLE
                """);
        int[] expected = {0, -1, -2, -4, -5, 200, 404, 429, 2, 8, 32768, 0, 4, 8, 302, 503};
        for (int i = 0; i < expected.length; i++) {
            assertThat(v.arg(i + 1).toint()).as("constant %d", i + 1).isEqualTo(expected[i]);
        }
    }

    @Test
    void workerConfigAndNull() {
        Varargs v = lua.eval(ex, Phase.ACCESS, """
                return ngx.worker.id(), ngx.worker.count(), ngx.worker.pid(), ngx.config.subsystem,
                       ngx.config.ngx_lua_version, ngx.null, type(ngx.null)
                """);
        assertThat(v.arg(1).toint()).isEqualTo(1);
        assertThat(v.arg(2).toint()).isEqualTo(4);
        assertThat(v.arg(3).tolong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(v.arg(4).tojstring()).isEqualTo("http");
        assertThat(v.arg(5).toint()).isGreaterThanOrEqualTo(10000);
        assertThat(v.arg(6)).isSameAs(LuaNull.NULL);
        assertThat(v.arg(7).tojstring()).isEqualTo("userdata");
        Varargs w = lua.eval(ex, Phase.LOG, "return ngx.worker.exiting(), ngx.config.prefix(), ngx.config.debug");
        assertThat(w.arg(1).toboolean()).isFalse();
        assertThat(w.arg(2).tojstring()).isEmpty();
        assertThat(w.arg(3).toboolean()).isFalse();
    }

    @Test
    void bodyFilterArgs() {
        lua.vm().scope().bodyChunk(LuaValue.valueOf("hello"), true);
        lua.eval(ex, Phase.BODY_FILTER, "assert(ngx.arg[2] == true) ngx.arg[1] = string.upper(ngx.arg[1])");
        assertThat(lua.vm().scope().bodyChunk().tojstring()).isEqualTo("HELLO");
        assertThat(lua.error(ex, Phase.ACCESS, "ngx.arg[1] = 'x'")).contains("access_by_lua*");
    }
}
