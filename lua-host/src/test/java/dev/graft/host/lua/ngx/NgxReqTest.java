package dev.graft.host.lua.ngx;

import static dev.graft.host.lua.LuaFixture.exchange;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.Phase;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.lua.CallResult;
import dev.graft.host.lua.LuaFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.Varargs;

class NgxReqTest {

    @TempDir
    Path dir;
    LuaFixture lua;
    Exchange ex;

    @BeforeEach
    void setUp() {
        lua = LuaFixture.in(dir);
        ex = exchange("GET", "/p?a=1&b=x+y%21&a=2&flag&empty=&=skip", "Host", "h.test",
                "Accept", "text/html", "X-Multi", "1", "X-Multi", "2");
    }

    private String eval(Phase phase, String code) {
        return lua.eval(ex, phase, code).arg1().tojstring();
    }

    @Test
    void getAndSetMethod() {
        assertThat(eval(Phase.ACCESS, "return ngx.req.get_method()")).isEqualTo("GET");
        lua.eval(ex, Phase.REWRITE, "ngx.req.set_method(ngx.HTTP_POST)");
        assertThat(ex.method()).isEqualTo("POST");
        lua.eval(ex, Phase.REWRITE, "ngx.req.set_method(ngx.HTTP_PATCH)");
        assertThat(ex.method()).isEqualTo("PATCH");
        assertThat(lua.error(ex, Phase.REWRITE, "ngx.req.set_method(3)")).contains("unsupported HTTP method: 3");
        assertThat(lua.error(ex, Phase.LOG, "ngx.req.set_method(ngx.HTTP_GET)"))
                .contains("API disabled in the context of log_by_lua*");
    }

    @Test
    void getUriArgsDecodesRepeatsAndBareKeys() {
        Varargs v = lua.eval(ex, Phase.ACCESS, """
                local a = ngx.req.get_uri_args()
                return type(a.a), a.a[1], a.a[2], a.b, a.flag, a.empty, a[""]
                """);
        assertThat(v.arg(1).tojstring()).isEqualTo("table");
        assertThat(v.arg(2).tojstring()).isEqualTo("1");
        assertThat(v.arg(3).tojstring()).isEqualTo("2");
        assertThat(v.arg(4).tojstring()).isEqualTo("x y!");
        assertThat(v.arg(5).toboolean()).isTrue();
        assertThat(v.arg(6).tojstring()).isEqualTo("");
        assertThat(v.arg(7).isnil()).isTrue();
    }

    @Test
    void getUriArgsMax() {
        Varargs v = lua.eval(ex, Phase.ACCESS, """
                local a, err = ngx.req.get_uri_args(2)
                local n = 0
                for k, v in pairs(a) do n = n + (type(v) == "table" and #v or 1) end
                return n, err
                """);
        assertThat(v.arg(1).toint()).isEqualTo(2);
        assertThat(v.arg(2).tojstring()).isEqualTo("truncated");
    }

    @Test
    void setUriArgsFromStringOrTable() {
        lua.eval(ex, Phase.REWRITE, "ngx.req.set_uri_args('z=9')");
        assertThat(ex.args()).contains("z=9");
        lua.eval(ex, Phase.REWRITE, "ngx.req.set_uri_args({q = 'a b&c/\\195\\169~*\\'()!', t = true, f = false})");
        assertThat(ex.args().orElseThrow().split("&")).containsExactlyInAnyOrder("q=a%20b%26c%2F%C3%A9~*'()!", "t");
        lua.eval(ex, Phase.REWRITE, "ngx.req.set_uri_args({k = {'1', '2'}})");
        assertThat(ex.args()).contains("k=1&k=2");
    }

    @Test
    void setUri() {
        lua.eval(ex, Phase.ACCESS, "ngx.req.set_uri('/new')");
        assertThat(ex.uri()).isEqualTo("/new");
        assertThat(ex.uriChanged()).isTrue();
        assertThat(lua.error(ex, Phase.ACCESS, "ngx.req.set_uri('/j', true)"))
                .contains("API disabled in the context of access_by_lua*");
        assertThat(lua.error(ex, Phase.ACCESS, "ngx.req.set_uri('')")).contains("zero-length uri");
    }

    @Test
    void setUriWithJumpEndsTheRewriteHandler() {
        CallResult r = lua.call(ex, Phase.REWRITE, "ngx.req.set_uri('/j', true); ngx.var.after = '1'");
        assertThat(r).isInstanceOf(CallResult.Jumped.class);
        assertThat(ex.uri()).isEqualTo("/j");
        assertThat(ex.variables()).doesNotContainKey("after");
    }

    @Test
    void getHeadersLowerCasesRepeatsAndNormalisesLookups() {
        Varargs v = lua.eval(ex, Phase.ACCESS, """
                local h = ngx.req.get_headers()
                return h.accept, h["Accept"], h.x_multi[2], h.host, ngx.req.get_headers(0, true)["Accept"]
                """);
        assertThat(v.arg(1).tojstring()).isEqualTo("text/html");
        assertThat(v.arg(2).tojstring()).isEqualTo("text/html");
        assertThat(v.arg(3).tojstring()).isEqualTo("2");
        assertThat(v.arg(4).tojstring()).isEqualTo("h.test");
        assertThat(v.arg(5).tojstring()).isEqualTo("text/html");
        assertThat(lua.eval(ex, Phase.ACCESS, "local h, e = ngx.req.get_headers(2) return e").arg1().tojstring())
                .isEqualTo("truncated");
    }

    @Test
    void setAndClearHeader() {
        lua.eval(ex, Phase.REWRITE, """
                ngx.req.set_header("X-New", "v")
                ngx.req.set_header("X-List", {"a", "b"})
                ngx.req.set_header("Accept", nil)
                ngx.req.clear_header("X-Multi")
                ngx.req.set_header("X-Blank", "x")
                ngx.req.set_header("X-Blank", "")
                """);
        assertThat(ex.requestHeaders().contains("X-Blank")).isFalse();
        assertThat(ex.requestHeaders().get("x-new")).isEqualTo("v");
        assertThat(ex.requestHeaders().getAll("X-List")).containsExactly("a", "b");
        assertThat(ex.requestHeaders().contains("Accept")).isFalse();
        assertThat(ex.requestHeaders().contains("X-Multi")).isFalse();
        assertThat(lua.error(ex, Phase.LOG, "ngx.req.set_header('a', 'b')")).contains("log_by_lua*");
    }

    @Test
    void bodyWhenBuffered() {
        assertThat(eval(Phase.ACCESS, "ngx.req.read_body() return tostring(ngx.req.get_body_data())")).isEqualTo("nil");
        assertThat(lua.error(ex, Phase.ACCESS, "ngx.req.get_post_args()")).contains("no request body found");
        ex.body("a=1&b=two+words".getBytes());
        assertThat(eval(Phase.ACCESS, "ngx.req.read_body() return ngx.req.get_body_data()")).isEqualTo("a=1&b=two+words");
        assertThat(eval(Phase.ACCESS, "return ngx.req.get_post_args().b")).isEqualTo("two words");
        assertThat(eval(Phase.ACCESS, "return tostring(ngx.req.get_body_file())")).isEqualTo("nil");
        lua.eval(ex, Phase.ACCESS, "ngx.req.set_body_data('new')");
        assertThat(ex.body()).hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("new"));
        assertThat(ex.requestHeaders().get("Content-Length")).isEqualTo("3");
        assertThat(lua.error(ex, Phase.LOG, "ngx.req.read_body()")).contains("log_by_lua*");
        assertThat(lua.error(ex, Phase.HEADER_FILTER, "ngx.req.get_body_data()")).contains("header_filter_by_lua*");
    }

    @Test
    void requestFacts() {
        assertThat(lua.eval(ex, Phase.ACCESS, "return ngx.req.http_version()").arg1().todouble()).isEqualTo(1.1);
        assertThat(lua.eval(ex, Phase.ACCESS, "return ngx.req.start_time()").arg1().todouble())
                .isEqualTo(ex.startEpochMillis() / 1000.0);
        assertThat(lua.eval(ex, Phase.ACCESS, "return ngx.req.is_internal()").arg1().toboolean()).isFalse();
        Exchange old = Exchange.builder().requestId("r").remote(ex.remote()).local(ex.local())
                .version(io.netty.handler.codec.http.HttpVersion.HTTP_1_0).requestUri("/").method("GET").uri("/").build();
        assertThat(lua.eval(old, Phase.ACCESS, "return ngx.req.http_version()").arg1().todouble()).isEqualTo(1.0);
        lua.eval(ex, Phase.ACCESS, "ngx.req.discard_body()");
        assertThat(lua.error(ex, Phase.LOG, "ngx.req.discard_body()")).contains("log_by_lua*");
    }
}
