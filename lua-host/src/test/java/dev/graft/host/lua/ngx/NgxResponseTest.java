package dev.graft.host.lua.ngx;

import static dev.graft.host.lua.LuaFixture.exchange;
import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.bridge.Phase;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.lua.CallResult;
import dev.graft.host.lua.LuaFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.Varargs;

class NgxResponseTest {

    @TempDir
    Path dir;
    LuaFixture lua;
    Exchange ex;

    @BeforeEach
    void setUp() {
        lua = LuaFixture.in(dir);
        ex = exchange("GET", "/p", "Host", "h.test");
    }

    private String output() {
        return ex.output().toString(StandardCharsets.UTF_8);
    }

    @Test
    void headerSetGetClearWithUnderscoresAndLists() {
        lua.eval(ex, Phase.HEADER_FILTER, """
                ngx.header.content_type = "text/plain"
                ngx.header["X-Two"] = {"a", "b"}
                ngx.header.x_gone = "1"
                ngx.header.x_gone = nil
                ngx.header.x_num = 5
                """);
        assertThat(ex.responseHeaders().get("Content-Type")).isEqualTo("text/plain");
        assertThat(ex.responseHeaders().getAll("x-two")).containsExactly("a", "b");
        assertThat(ex.responseHeaders().contains("x-gone")).isFalse();
        assertThat(ex.responseHeaders().get("x-num")).isEqualTo("5");
        Varargs v = lua.eval(ex, Phase.LOG, "return ngx.header.Content_Type, ngx.header['x-two'][2], ngx.header.none");
        assertThat(v.arg(1).tojstring()).isEqualTo("text/plain");
        assertThat(v.arg(2).tojstring()).isEqualTo("b");
        assertThat(v.arg(3).isnil()).isTrue();
    }

    @Test
    void emptyValuesRemoveAndSingleValuedHeadersKeepTheLast() {
        ex.responseHeaders().set("X-Empty", "old").set("Content-Type", "application/json");
        lua.eval(ex, Phase.HEADER_FILTER, """
                ngx.header["X-Empty"] = ""
                ngx.header["Content-Type"] = {ngx.header["Content-Type"], "x/extra"}
                ngx.header["X-List"] = {"a", "b"}
                """);
        assertThat(ex.responseHeaders().contains("X-Empty")).isFalse();
        assertThat(ex.responseHeaders().getAll("Content-Type")).containsExactly("x/extra");
        assertThat(ex.responseHeaders().getAll("X-List")).containsExactly("a", "b");
    }

    @Test
    void headerAfterHeadersSentIsIgnored() {
        ex.markHeadersSent();
        lua.eval(ex, Phase.BODY_FILTER, "ngx.header.x_late = '1'");
        assertThat(ex.responseHeaders().contains("x-late")).isFalse();
    }

    @Test
    void respGetHeaders() {
        ex.responseHeaders().add("X-A", "1").add("X-A", "2").add("Server", "s");
        Varargs v = lua.eval(ex, Phase.HEADER_FILTER,
                "local h = ngx.resp.get_headers() return h.x_a[1], h.x_a[2], h.server");
        assertThat(v.arg(1).tojstring()).isEqualTo("1");
        assertThat(v.arg(2).tojstring()).isEqualTo("2");
        assertThat(v.arg(3).tojstring()).isEqualTo("s");
    }

    @Test
    void statusGetAndSet() {
        assertThat(lua.eval(ex, Phase.ACCESS, "return ngx.status").arg1().toint()).isZero();
        lua.eval(ex, Phase.ACCESS, "ngx.status = 418");
        assertThat(ex.status()).isEqualTo(418);
        ex.markHeadersSent();
        lua.eval(ex, Phase.BODY_FILTER, "ngx.status = 500");
        assertThat(ex.status()).isEqualTo(418);
    }

    @Test
    void sayAndPrintFlattenValuesLikeOpenResty() {
        lua.eval(ex, Phase.CONTENT, """
                ngx.print("a", 1, true, nil, {"x", {"y"}}, ngx.null)
                ngx.say(" end")
                """);
        assertThat(output()).isEqualTo("a1truenilxynull end\n");
        ex.output().reset();
        lua.eval(ex, Phase.CONTENT, "ngx.print(1/3, ' ', 2^53, ' ', 1.5)");
        assertThat(output()).isEqualTo("0.33333333333333 9.007199254741e+15 1.5");
        lua.eval(ex, Phase.HEADER_FILTER, "ngx.header.x_n = 0.1");
        assertThat(ex.responseHeaders().get("x-n")).isEqualTo("0.1");
        assertThat(ex.status()).isEqualTo(200);
        assertThat(lua.error(ex, Phase.CONTENT, "ngx.say({a = 1})")).contains("non-array table found");
        ex.output().reset();
        lua.eval(ex, Phase.CONTENT, "ngx.print({1, nil, 3})");
        assertThat(output()).isEqualTo("1nil3");
        ex.output().reset();
        assertThat(lua.error(ex, Phase.CONTENT, "ngx.say(print)")).contains("got function");
    }

    @Test
    void outputFixesTheStatus() {
        lua.eval(ex, Phase.CONTENT, "ngx.status = 201 ngx.say('x') ngx.status = 500");
        assertThat(ex.status()).isEqualTo(201);
    }

    @Test
    void sayIsDisabledOutsideRequestPhases() {
        assertThat(lua.error(ex, Phase.HEADER_FILTER, "ngx.say('x')"))
                .contains("API disabled in the context of header_filter_by_lua*");
        assertThat(lua.error(ex, Phase.LOG, "ngx.print('x')")).contains("log_by_lua*");
        assertThat(lua.error(ex, Phase.BODY_FILTER, "ngx.flush()")).contains("body_filter_by_lua*");
        assertThat(lua.eval(ex, Phase.CONTENT, "return ngx.flush(), ngx.eof()").arg1().toint()).isEqualTo(1);
    }

    @Test
    void exitUnwindsThePhaseEvenThroughPcall() {
        CallResult r = lua.call(ex, Phase.ACCESS, """
                pcall(ngx.exit, 403)
                ngx.var.after = "ran"
                """);
        assertThat(r).isEqualTo(new CallResult.Exited(403));
        assertThat(ex.variables()).doesNotContainKey("after");
        assertThat(ex.status()).isEqualTo(403);
    }

    @Test
    void exitOkKeepsTheStatusUnset() {
        assertThat(lua.call(ex, Phase.REWRITE, "ngx.exit(ngx.OK)")).isEqualTo(new CallResult.Exited(0));
        assertThat(ex.status()).isZero();
    }

    @Test
    void exitContexts() {
        assertThat(lua.error(ex, Phase.LOG, "ngx.exit(200)")).contains("API disabled in the context of log_by_lua*");
        assertThat(lua.error(ex, Phase.BODY_FILTER, "ngx.exit(200)")).contains("body_filter_by_lua*");
        assertThat(lua.error(ex, Phase.ACCESS, "ngx.exit('x')")).contains("number expected");
        // header_filter: recorded, and the filter goes on
        assertThat(lua.eval(ex, Phase.HEADER_FILTER, "ngx.exit(ngx.ERROR) return 'went on'").arg1().tojstring())
                .isEqualTo("went on");
        assertThat(lua.vm().scope().exited()).isTrue();
        assertThat(lua.vm().scope().exitStatus()).isEqualTo(-1);
    }

    @Test
    void redirect() {
        assertThat(lua.call(ex, Phase.REWRITE, "ngx.redirect('/new?x=1')")).isEqualTo(new CallResult.Exited(302));
        assertThat(ex.responseHeaders().get("Location")).isEqualTo("/new?x=1");
        assertThat(ex.status()).isEqualTo(302);
        assertThat(lua.call(ex, Phase.ACCESS, "ngx.redirect('https://x.test/', ngx.HTTP_MOVED_PERMANENTLY)"))
                .isEqualTo(new CallResult.Exited(301));
        assertThat(lua.error(ex, Phase.ACCESS, "ngx.redirect('/x', 200)")).contains("only ngx.HTTP_MOVED_TEMPORARILY");
        assertThat(lua.error(ex, Phase.HEADER_FILTER, "ngx.redirect('/x')")).contains("header_filter_by_lua*");
        lua.eval(ex, Phase.CONTENT, "ngx.say('body')");
        assertThat(lua.error(ex, Phase.CONTENT, "ngx.redirect('/x')")).contains("after sending out the headers");
    }
}
