package dev.graft.host.lua.ngx;

import static dev.graft.host.lua.LuaFixture.exchange;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.Phase;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.lua.LuaFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NgxVarTest {

    @TempDir
    Path dir;
    LuaFixture lua;
    Exchange ex;

    @BeforeEach
    void setUp() {
        lua = LuaFixture.in(dir);
        ex = exchange("POST", "/a/b?x=1&Y=%20two&flag", "Host", "WWW.Example.TEST:8080",
                "User-Agent", "curl/8", "X-Forwarded-For", "10.0.0.1", "X-Forwarded-For", "10.0.0.2",
                "Cookie", "a=1; session=abc", "Content-Type", "text/plain", "Content-Length", "5");
    }

    private String var(String name) {
        return lua.eval(ex, Phase.ACCESS, "return tostring(ngx.var." + name + ")").arg1().tojstring();
    }

    @Test
    void pathAndArgs() {
        assertThat(var("uri")).isEqualTo("/a/b");
        assertThat(var("document_uri")).isEqualTo("/a/b");
        assertThat(var("request_uri")).isEqualTo("/a/b?x=1&Y=%20two&flag");
        assertThat(var("args")).isEqualTo("x=1&Y=%20two&flag");
        assertThat(var("query_string")).isEqualTo("x=1&Y=%20two&flag");
        assertThat(var("is_args")).isEqualTo("?");
    }

    @Test
    void argNameIsCaseInsensitiveAndRaw() {
        assertThat(var("arg_x")).isEqualTo("1");
        assertThat(var("arg_y")).isEqualTo("%20two");
        assertThat(var("arg_flag")).isEqualTo("");
        assertThat(var("arg_missing")).isEqualTo("nil");
    }

    @Test
    void noArgs() {
        ex = exchange("GET", "/p");
        assertThat(var("args")).isEqualTo("nil");
        assertThat(var("is_args")).isEqualTo("");
        assertThat(var("arg_x")).isEqualTo("nil");
    }

    @Test
    void headersByUnderscoreNameAnyCase() {
        assertThat(var("http_user_agent")).isEqualTo("curl/8");
        assertThat(var("HTTP_USER_AGENT")).isEqualTo("curl/8");
        assertThat(var("http_x_forwarded_for")).isEqualTo("10.0.0.1, 10.0.0.2");
        assertThat(var("http_missing")).isEqualTo("nil");
        assertThat(var("content_type")).isEqualTo("text/plain");
        assertThat(var("content_length")).isEqualTo("5");
    }

    @Test
    void cookies() {
        assertThat(var("cookie_session")).isEqualTo("abc");
        assertThat(var("cookie_a")).isEqualTo("1");
        assertThat(var("cookie_b")).isEqualTo("nil");
        assertThat(var("http_cookie")).isEqualTo("a=1; session=abc");
    }

    @Test
    void hostIsLowerCasedWithoutPortElseTheEmptyServerName() {
        assertThat(var("host")).isEqualTo("www.example.test");
        ex = exchange("GET", "/");
        assertThat(var("host")).isEqualTo("");
        ex = exchange("GET", "/", "Host", "Trailing.Dot.TEST.:8080");
        assertThat(var("host")).isEqualTo("trailing.dot.test");
        ex = exchange("GET", "/", "Host", "[::1]:80");
        assertThat(var("host")).isEqualTo("[::1]");
    }

    @Test
    void connectionFacts() {
        assertThat(var("remote_addr")).isEqualTo("127.0.0.1");
        assertThat(var("remote_port")).isEqualTo("40000");
        assertThat(var("server_addr")).isEqualTo("127.0.0.1");
        assertThat(var("server_port")).isEqualTo("8080");
        assertThat(lua.eval(ex, Phase.ACCESS, "return #ngx.var.binary_remote_addr, string.byte(ngx.var.binary_remote_addr, 1)")
                .arg(2).toint()).isEqualTo(127);
        assertThat(var("scheme")).isEqualTo("http");
        assertThat(var("https")).isEqualTo("");
        assertThat(var("server_protocol")).isEqualTo("HTTP/1.1");
        assertThat(var("request_method")).isEqualTo("POST");
        assertThat(var("request_id")).isEqualTo("req-1");
    }

    @Test
    void timesAndStatus() {
        assertThat(var("request_time")).matches("\\d+\\.\\d{3}");
        assertThat(var("msec")).matches("\\d+\\.\\d{3}");
        assertThat(var("status")).isEqualTo("000");
        ex.status(404);
        assertThat(lua.eval(ex, Phase.LOG, "return ngx.var.status").arg1().tojstring()).isEqualTo("404");
    }

    @Test
    void customVariablesAreNilUntilSetAndLiveOnTheExchange() {
        assertThat(var("my_var")).isEqualTo("nil");
        lua.eval(ex, Phase.REWRITE, "ngx.var.my_var = 'v1'; ngx.var.num = 12");
        assertThat(ex.variables()).containsEntry("my_var", "v1").containsEntry("num", "12");
        assertThat(lua.eval(ex, Phase.LOG, "return ngx.var.MY_VAR").arg1().tojstring()).isEqualTo("v1");
        lua.eval(ex, Phase.REWRITE, "ngx.var.my_var = nil");
        assertThat(ex.variables()).doesNotContainKey("my_var");
    }

    @Test
    void argsIsWritable() {
        lua.eval(ex, Phase.REWRITE, "ngx.var.args = 'a=2'");
        assertThat(ex.args()).contains("a=2");
        assertThat(ex.uriChanged()).isTrue();
    }

    @Test
    void uriAndOtherBuiltinsAreNotChangeable() {
        assertThat(lua.error(ex, Phase.REWRITE, "ngx.var.uri = '/x'")).contains("variable \"uri\" not changeable");
        assertThat(lua.error(ex, Phase.REWRITE, "ngx.var.http_host = 'x'")).contains("not changeable");
        assertThat(lua.error(ex, Phase.REWRITE, "ngx.var.x = {}")).contains("bad variable value");
    }

    @Test
    void graftUpstreamDefaultsAndWritesTheExchange() {
        assertThat(var("graft_upstream")).isEqualTo("origin-a");
        lua.eval(ex, Phase.ACCESS, "ngx.var.graft_upstream = 'bucket'");
        assertThat(ex.upstream()).contains("bucket");
        assertThat(var("graft_upstream")).isEqualTo("bucket");
    }

    @Test
    void graftContentIsEmptyUntilSet() {
        assertThat(var("graft_content")).isEqualTo("");
        lua.eval(ex, Phase.ACCESS, "ngx.var.graft_content = 'page'");
        assertThat(ex.variables()).containsEntry("graft_content", "page");
        assertThat(var("graft_content")).isEqualTo("page");
    }

    @Test
    void requestBodyOnceBuffered() {
        assertThat(var("request_body")).isEqualTo("nil");
        ex.body("hello".getBytes());
        assertThat(var("request_body")).isEqualTo("hello");
    }

    // Reads remember the Lua string made from the exchange's Java string (by instance) and the
    // name's resolution (by name): one compiled chunk, called again after each change, must see it.

    private String read(org.luaj.vm2.LuaValue fn, Exchange on) {
        var r = lua.vm().call(on, Phase.ACCESS, fn, org.luaj.vm2.LuaValue.NONE);
        assertThat(r).isInstanceOf(dev.graft.host.lua.CallResult.Returned.class);
        return ((dev.graft.host.lua.CallResult.Returned) r).values().arg1().tojstring();
    }

    @Test
    void aRememberedReadSeesEveryChangeOfTheValue() {
        var fn = lua.vm().globals().load("return tostring(ngx.var.http_user_agent) .. '|' .. tostring(ngx.var.arg_x)"
                + " .. '|' .. tostring(ngx.var.uri) .. '|' .. tostring(ngx.var.my_var) .. '|' .. ngx.var.host", "read.lua");
        assertThat(read(fn, ex)).isEqualTo("curl/8|1|/a/b|nil|www.example.test");
        assertThat(read(fn, ex)).isEqualTo("curl/8|1|/a/b|nil|www.example.test");
        lua.eval(ex, Phase.ACCESS, "ngx.req.set_header('User-Agent', 'wget/1'); ngx.var.args = 'x=2'; ngx.var.my_var = 'm'");
        assertThat(read(fn, ex)).isEqualTo("wget/1|2|/a/b|m|www.example.test");
        // changes made on the Java side of the exchange (a Java stage, the proxy)
        ex.requestHeaders().set("User-Agent", "java/21");
        ex.requestHeaders().set("Host", "Other.TEST");
        ex.uri("/c");
        ex.variables().put("my_var", "n");
        assertThat(read(fn, ex)).isEqualTo("java/21|2|/c|n|other.test");
        ex.requestHeaders().remove("User-Agent");
        ex.args(null);
        assertThat(read(fn, ex)).isEqualTo("nil|nil|/c|n|other.test");
    }

    @Test
    void eachExchangeReadsItsOwnValuesThroughOneVm() {
        var fn = lua.vm().globals().load("return ngx.var.http_user_agent .. '|' .. ngx.var.remote_addr"
                + " .. '|' .. ngx.var.request_id", "read.lua");
        Exchange other = Exchange.builder().requestId("req-2")
                .remote(new java.net.InetSocketAddress("10.1.2.3", 5555))
                .local(new java.net.InetSocketAddress("127.0.0.1", 8080))
                .requestUri("/").method("GET").uri("/")
                .headers(new io.netty.handler.codec.http.DefaultHttpHeaders().add("User-Agent", "other/2"))
                .build();
        assertThat(read(fn, ex)).isEqualTo("curl/8|127.0.0.1|req-1");
        assertThat(read(fn, other)).isEqualTo("other/2|10.1.2.3|req-2");
        assertThat(read(fn, ex)).isEqualTo("curl/8|127.0.0.1|req-1");
    }

    @Test
    void theVarTableStaysAPlainTableWithItsMetatable() {
        assertThat(lua.eval(ex, Phase.ACCESS, """
                local var = ngx.var
                local before = rawget(var, 'uri')
                local mt = getmetatable(var)
                rawset(var, 'uri', 'raw')
                local raw = var.uri
                rawset(var, 'uri', nil)
                return tostring(before) .. '|' .. type(mt.__index) .. '|' .. raw .. '|' .. var.uri
                """).arg1().tojstring()).isEqualTo("nil|function|raw|/a/b");
        assertThat(lua.eval(ex, Phase.ACCESS, """
                local var = ngx.var
                local mt = getmetatable(var)
                setmetatable(var, { __index = function(t, k) return 'replaced ' .. k end })
                local v = var.uri
                setmetatable(var, mt)
                return v .. '|' .. var.uri
                """).arg1().tojstring()).isEqualTo("replaced uri|/a/b");
    }

    @Test
    void getHeadersGivesAFreshTableWithTheCurrentValuesEachCall() {
        var fn = lua.vm().globals().load("""
                local h = ngx.req.get_headers()
                local ua = h['user-agent']
                h['user-agent'] = 'scribbled'
                return ua .. '|' .. h.user_agent .. '|' .. tostring(h['x-new'])
                """, "headers.lua");
        assertThat(read(fn, ex)).isEqualTo("curl/8|scribbled|nil");
        assertThat(read(fn, ex)).isEqualTo("curl/8|scribbled|nil");
        ex.requestHeaders().set("User-Agent", "java/21").add("X-New", "1");
        assertThat(read(fn, ex)).isEqualTo("java/21|scribbled|1");
    }

    @Test
    void disabledDuringInit() {
        var r = lua.vm().callInit(lua.vm().globals().load("return ngx.var.uri"), org.luaj.vm2.LuaValue.NONE);
        assertThat(r).isInstanceOfSatisfying(dev.graft.host.lua.CallResult.Failed.class,
                f -> assertThat(f.message()).contains("API disabled in the context of init_by_lua*"));
    }
}
