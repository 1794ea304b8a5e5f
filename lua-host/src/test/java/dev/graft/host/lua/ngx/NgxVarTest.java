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

    @Test
    void disabledDuringInit() {
        var r = lua.vm().callInit(lua.vm().globals().load("return ngx.var.uri"), org.luaj.vm2.LuaValue.NONE);
        assertThat(r).isInstanceOfSatisfying(dev.graft.host.lua.CallResult.Failed.class,
                f -> assertThat(f.message()).contains("API disabled in the context of init_by_lua*"));
    }
}
