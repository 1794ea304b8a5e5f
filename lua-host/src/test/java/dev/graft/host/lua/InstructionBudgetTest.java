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

    @Test
    void budgetIsValidated() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new InstructionBudget(0))
                .hasMessageContaining("budget: 0 (expected: at least 1)");
    }
}
