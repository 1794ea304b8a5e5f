package dev.graft.host.lua;

import static dev.graft.host.lua.LuaFixture.exchange;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.Phase;
import dev.graft.host.exchange.Exchange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.Varargs;

class SandboxTest {

    @TempDir
    Path root;
    Path scripts;
    LuaFixture lua;
    Exchange ex = exchange("GET", "/");

    @BeforeEach
    void setUp() throws IOException {
        scripts = Files.createDirectories(root.resolve("scripts"));
        LuaFixture.write(scripts, "conf/data.txt", "line1\nline2\n");
        LuaFixture.write(root, "secret.txt", "secret");
        lua = LuaFixture.in(scripts);
    }

    private String eval(String code) {
        return lua.eval(ex, Phase.ACCESS, code).arg1().tojstring();
    }

    @Test
    void dangerousFunctionsAreAbsent() {
        assertThat(eval("return tostring(os.execute) .. tostring(io.popen) .. tostring(os.exit) .. tostring(os.remove)"
                + " .. tostring(os.rename) .. tostring(os.tmpname) .. tostring(dofile) .. tostring(loadfile)"
                + " .. tostring(luajava) .. tostring(debug.getinfo) .. tostring(debug.sethook)"))
                .isEqualTo("nil".repeat(11));
        assertThat(eval("return type(debug.traceback)")).isEqualTo("function");
        assertThat(eval("return type(os.time()) .. type(os.clock()) .. type(os.date('%Y'))")).isEqualTo("numbernumberstring");
    }

    @Test
    void getenvSeesNothingButTz() {
        assertThat(eval("return tostring(os.getenv('PATH'))")).isEqualTo("nil");
    }

    @Test
    void ioOpenReadsInsideTheScriptsFolderOnly() throws IOException {
        Varargs v = lua.eval(ex, Phase.ACCESS, """
                local f = assert(io.open("conf/data.txt"))
                local first = f:read("*l")
                local rest = f:read("*a")
                f:close()
                local n = 0
                for line in assert(io.open("conf/data.txt")):lines() do n = n + 1 end
                return first, rest, n
                """);
        assertThat(v.arg(1).tojstring()).isEqualTo("line1");
        assertThat(v.arg(2).tojstring()).isEqualTo("line2\n");
        assertThat(v.arg(3).toint()).isEqualTo(2);
        assertThat(eval("return tostring(io.open('../secret.txt'))")).isEqualTo("nil");
        assertThat(eval("return tostring(io.open('" + root.resolve("secret.txt") + "'))")).isEqualTo("nil");
        assertThat(eval("local f, err = io.open('conf/data.txt', 'w') return err")).contains("Permission denied");
        Files.createSymbolicLink(scripts.resolve("link.txt"), root.resolve("secret.txt"));
        assertThat(eval("return tostring(io.open('link.txt'))")).isEqualTo("nil");
    }

    @Test
    void binaryChunksAreRefusedTextChunksLoad() {
        assertThat(eval("return load('return 1 + 1')()")).isEqualTo("2");
        assertThat(eval("return loadstring('return 40 + 2')()")).isEqualTo("42");
        assertThat(eval("local f, err = load('\\27Lua\\82\\0') return err")).contains("binary chunk");
        assertThat(eval("local f, err = loadstring('\\27LuaQ') return err")).contains("binary chunk");
        assertThat(eval("return tostring(string.dump)")).isEqualTo("nil");
    }

    @Test
    void requiredBinaryFileIsRefused() {
        LuaFixture.write(scripts, "bin.lua", "\u001bLua");
        assertThat(lua.error(ex, Phase.ACCESS, "require('bin')")).contains("binary chunks are not loaded");
    }

    @Test
    void stringMetatableIsReadOnlyAndShared() {
        assertThat(lua.error(ex, Phase.ACCESS, "getmetatable('').__index = {}")).contains("read-only");
        assertThat(lua.error(ex, Phase.ACCESS, "getmetatable('').__index.upper = function() return 'x' end"))
                .contains("read-only");
        assertThat(lua.error(ex, Phase.ACCESS, "rawset(getmetatable(''), 'x', 1)")).contains("read-only");
        assertThat(eval("return ('abc'):upper()")).isEqualTo("ABC");
        // a VM's own string table is writable and does not leak into others
        lua.eval(ex, Phase.ACCESS, "string.upper = function() return 'mine' end");
        LuaFixture other = LuaFixture.in(scripts);
        assertThat(other.eval(ex, Phase.ACCESS, "return string.upper('a')").arg1().tojstring()).isEqualTo("A");
        assertThat(LuaString.s_metatable).isInstanceOf(FrozenTable.class);
    }

    @Test
    void stringRepIsCapped() {
        assertThat(eval("return #string.rep('ab', 3, ',')")).isEqualTo("8");
        assertThat(lua.error(ex, Phase.ACCESS, "return string.rep('x', 1e9)")).contains("resulting string too large");
        assertThat(lua.error(ex, Phase.ACCESS, "return ('x'):rep(1e9)")).contains("resulting string too large");
    }

    @Test
    void collectgarbageDoesNotCollect() {
        assertThat(eval("return collectgarbage('collect')")).isEqualTo("0");
        assertThat(eval("return type(collectgarbage('count'))")).isEqualTo("number");
    }

    @Test
    void requireResolvesModulesAndInitFilesAndPreload() {
        LuaFixture.write(scripts, "a/b.lua", "return {name = 'a.b', args = {...}}");
        LuaFixture.write(scripts, "pkg/init.lua", "return {name = 'pkg'}");
        Varargs v = lua.eval(ex, Phase.ACCESS, """
                package.preload["pre"] = function() return {name = "pre"} end
                return require("a.b").name, require("pkg").name, require("pre").name, require("a.b") == require("a.b")
                """);
        assertThat(v.arg(1).tojstring()).isEqualTo("a.b");
        assertThat(v.arg(2).tojstring()).isEqualTo("pkg");
        assertThat(v.arg(3).tojstring()).isEqualTo("pre");
        assertThat(v.arg(4).toboolean()).isTrue();
        assertThat(lua.error(ex, Phase.ACCESS, "require('missing.mod')")).contains("module 'missing.mod' not found");
        assertThat(lua.error(ex, Phase.ACCESS, "require('..secret')")).contains("not found");
        assertThat(lua.error(ex, Phase.ACCESS, "require('java.lang.System')")).contains("not found");
    }

    @Test
    void prototypesAreSharedClosuresAreNot() {
        LuaFixture.write(scripts, "counter.lua", "local n = 0 return function() n = n + 1 return n end");
        LuaScripts shared = LuaScripts.open(scripts);
        LuaVm a = LuaVm.create(shared, new dev.graft.host.lua.ngx.NgxApi.Settings(0, 2, ""), 100_000, java.util.List.of());
        LuaVm b = LuaVm.create(shared, new dev.graft.host.lua.ngx.NgxApi.Settings(1, 2, ""), 100_000, java.util.List.of());
        Varargs ra = ((CallResult.Returned) a.require("counter")).values();
        Varargs rb = ((CallResult.Returned) b.require("counter")).values();
        ra.arg1().call();
        assertThat(ra.arg1().call().toint()).isEqualTo(2);
        assertThat(rb.arg1().call().toint()).isEqualTo(1);
        assertThat(shared.prototype(shared.module("counter").orElseThrow()))
                .isSameAs(shared.prototype(shared.module("counter").orElseThrow()));
    }

    @Test
    void typeNamesEveryKindOfValueAndNeedsAnArgument() {
        assertThat(eval("return table.concat({type(nil), type(true), type(1), type(1.5), type('s'), type({}),"
                + " type(print), type(function() end), type(coroutine.create(function() end))}, ',')"))
                .isEqualTo("nil,boolean,number,number,string,table,function,function,thread");
        assertThat(eval("return tostring(type(nil) == 'nil') .. tostring(rawequal(type({}), 'table'))"))
                .isEqualTo("truetrue");
        assertThat(eval("local ok, e = pcall(type) return tostring(ok) .. ' ' .. e"))
                .isEqualTo("false bad argument #1: value");
    }

    @Test
    void pcallReturnsLuasMessageWithoutTraceback() {
        LuaFixture.write(scripts, "m.lua", """
                local M = {}
                function M.boom() error("boom") end
                function M.bare() error("bare", 0) end
                function M.tbl() error({code = 7}) end
                return M
                """);
        assertThat(eval("local ok, e = pcall(require('m').boom) return e")).isEqualTo("m.lua:2: boom");
        assertThat(eval("local ok, e = pcall(require('m').bare) return e")).isEqualTo("bare");
        assertThat(eval("local ok, e = pcall(require('m').tbl) return e.code")).isEqualTo("7");
        assertThat(eval("return select('#', pcall(function() return 1, 2 end))")).isEqualTo("3");
        assertThat(eval("local ok, e = xpcall(require('m').boom, function(m) return 'handled' end) return e"))
                .isEqualTo("handled");
    }

    @Test
    void xpcallCannotSwallowABudgetStop() {
        CallResult r = lua.call(ex, Phase.ACCESS, """
                xpcall(function() while true do end end, function(m) return m end)
                ngx.var.after = "ran"
                """);
        assertThat(r).isInstanceOf(CallResult.BudgetStopped.class);
        assertThat(ex.variables()).doesNotContainKey("after");
    }

    @Test
    void luajitCompatFallbacks() {
        assertThat(eval("return select('#', unpack({1, 2, 3}))")).isEqualTo("3");
    }
}
