package dev.graft.host.lua;

import static dev.graft.host.lua.LuaFixture.exchange;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.Phase;
import dev.graft.host.exchange.Exchange;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstructionBudgetTest {

    @TempDir
    Path dir;
    LuaFixture lua;
    Exchange ex = exchange("GET", "/");

    @BeforeEach
    void setUp() {
        LuaFixture.write(dir, "spin/handler.lua", """
                local M = {}
                function M.access()
                  local n = 0
                  while true do n = n + 1 end
                end
                return M
                """);
        lua = LuaFixture.in(dir);
    }

    @Test
    void runawayLoopIsStoppedWithItsModuleAndLine() {
        CallResult r = lua.call(ex, Phase.ACCESS, "require('spin.handler').access()");
        assertThat(r).isInstanceOfSatisfying(CallResult.BudgetStopped.class, b -> {
            assertThat(b.module()).isEqualTo("spin");
            assertThat(b.location()).startsWith("spin/handler.lua:4");
        });
    }

    @Test
    void pcallCannotSwallowTheStop() {
        CallResult r = lua.call(ex, Phase.ACCESS, """
                local ok = pcall(require('spin.handler').access)
                ngx.var.after = 'ran'
                while true do end
                """);
        assertThat(r).isInstanceOf(CallResult.BudgetStopped.class);
        assertThat(ex.variables()).doesNotContainKey("after");
    }

    @Test
    void theNextCallHasAFreshBudget() {
        assertThat(lua.call(ex, Phase.ACCESS, "while true do end")).isInstanceOf(CallResult.BudgetStopped.class);
        assertThat(lua.eval(ex, Phase.ACCESS, "local s = 0 for i = 1, 1000 do s = s + i end return s").arg1().toint())
                .isEqualTo(500500);
    }

    @Test
    void endlessRecursionIsAContainedFailureAndTheVmStillWorks() {
        CallResult r = lua.call(ex, Phase.ACCESS, "local function f(n) return 1 + f(n + 1) end return f(1)");
        assertThat(r).isInstanceOfAny(CallResult.Failed.class, CallResult.BudgetStopped.class);
        for (int i = 0; i < 3; i++) {
            assertThat(lua.eval(ex, Phase.ACCESS, "local function g(n) if n == 0 then return 0 end return 1 + g(n - 1) end"
                    + " return g(50)").arg1().toint()).isEqualTo(50);
        }
        assertThat(lua.error(ex, Phase.ACCESS, "error('after')")).contains("after");
    }

    @Test
    void aLoopInsideACoroutineIsStoppedToo() {
        CallResult r = lua.call(ex, Phase.ACCESS, """
                local co = coroutine.wrap(function() while true do end end)
                pcall(co)
                ngx.var.after = "ran"
                """);
        assertThat(r).isInstanceOf(CallResult.BudgetStopped.class);
        assertThat(ex.variables()).doesNotContainKey("after");
        assertThat(lua.eval(ex, Phase.ACCESS, """
                local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end)
                return co(1) + co(10)
                """).arg1().toint()).isEqualTo(22);
    }

    // The hook keeps its own call stack instead of LuaJ's (whose synchronized per-instruction
    // bookkeeping was 40% of a stage's time); tracebacks must read as LuaJ's did.

    @Test
    void anUncaughtErrorCarriesTheTracebackWithNamesAndCallerLines() {
        LuaFixture.write(dir, "deep/handler.lua", """
                local M = {}
                local function inner(x)
                  return x.y.z
                end
                local function mid(x)
                  local r = inner(x)
                  return r
                end
                function M.access()
                  local r = mid({})
                  return r
                end
                return M
                """);
        String message = LuaFixture.in(dir).error(ex, Phase.ACCESS, "require('deep.handler').access()");
        assertThat(message).isEqualTo("""
                deep/handler.lua:3 attempt to index ? (a nil value)
                stack traceback:
                	deep/handler.lua:3: in function 'inner'
                	deep/handler.lua:6: in function 'mid'
                	deep/handler.lua:10: in function 'access'
                	test.lua:1: in main chunk
                	[Java]: in ?""");
    }

    @Test
    void debugTracebackShowsTheCallerAtItsCallAfterACalleeReturned() {
        // the metamethod returns before the traceback is taken: the caller's line is the t.x line (3)
        String tb = lua.eval(ex, Phase.ACCESS, """
                local function f()
                  local t = setmetatable({}, {__index = function(t, k) return debug.traceback('m') end})
                  local v = t.x
                  return v
                end
                return f()
                """).arg1().tojstring();
        assertThat(tb).isEqualTo("m\nstack traceback:\n\ttest.lua:3: in function <test.lua:1>\n\t[Java]: in ?");
    }

    @Test
    void debugTracebackOfARunningCoroutineShowsItsOwnFrames() {
        String tb = lua.eval(ex, Phase.ACCESS, """
                local co = coroutine.create(function()
                  local x = 1
                  coroutine.yield(debug.traceback('in'))
                end)
                local ok, v = coroutine.resume(co)
                local after = debug.traceback('out', 1)
                return v .. '|' .. after
                """).arg1().tojstring();
        assertThat(tb).isEqualTo("in\nstack traceback:\n\ttest.lua:3: in function <test.lua:1>\n\t[Java]: in ?"
                + "|out\nstack traceback:\n\ttest.lua:6: in main chunk\n\t[Java]: in ?");
    }

    @Test
    void aStackOverflowLeavesNoFramesForTheNextCall() {
        lua.call(ex, Phase.ACCESS, "local function f(n) return 1 + f(n + 1) end return f(1)");
        String tb = lua.eval(ex, Phase.ACCESS, "local t = debug.traceback('x') return t").arg1().tojstring();
        assertThat(tb).isEqualTo("x\nstack traceback:\n\ttest.lua:1: in main chunk\n\t[Java]: in ?");
    }

    @Test
    void everyInstructionIsCounted() {
        // 1 LOADK + 1 FORPREP + 1000 x (ADD, FORLOOP) + 1 RETURN; the count is the budget's unit
        lua.eval(ex, Phase.ACCESS, "local s = 0 for i = 1, 1000 do s = s + i end");
        long loop = lua.vm().instructionsUsed();
        lua.eval(ex, Phase.ACCESS, "local s = 0 for i = 1, 2000 do s = s + i end");
        assertThat(lua.vm().instructionsUsed() - loop).isEqualTo(2000);
    }

    @Test
    void budgetIsValidated() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new InstructionBudget(0))
                .hasMessageContaining("budget: 0 (expected: at least 1)");
    }
}
