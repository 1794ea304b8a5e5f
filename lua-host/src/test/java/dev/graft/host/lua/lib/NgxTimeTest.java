package dev.graft.host.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Formats compared with OpenResty's output for the same epoch seconds. */
class NgxTimeTest {

    private final LuaLibVm vm = LuaLibVm.create();

    @Test
    void nowIsCachedUntilUpdateTime() {
        // 1_700_000_000_123 ms
        // LuaJ prints large doubles through Float.toString, so compare numerically
        assertThat(vm.run("return J(ngx.now() * 1000 == 1700000000123, ngx.time())")).isEqualTo("true 1700000000");
        vm.clock.millis += 5_000;
        assertThat(vm.run("return ngx.time()")).isEqualTo("1700000000");
        assertThat(vm.run("ngx.update_time() return ngx.time()")).isEqualTo("1700000005");
        vm.clock.millis += 1_000;
        vm.time.refresh();
        assertThat(vm.run("return ngx.time()")).isEqualTo("1700000006");
    }

    @Test
    void nowHasMillisecondPrecision() {
        assertThat(vm.run("return math.floor((ngx.now() - 1700000000) * 1000 + 0.5)")).isEqualTo("123");
    }

    @Test
    void localAndUtcStrings() {
        assertThat(vm.run("return J(ngx.today(), ngx.localtime(), ngx.utctime())"))
                .isEqualTo("2023-11-14 2023-11-14 22:13:20 2023-11-14 22:13:20");
    }

    @Test
    void httpAndCookieTimeLikeNginx() {
        assertThat(vm.run("return J(ngx.http_time(1700000000), ngx.cookie_time(1700000000), ngx.http_time(1700000000.9))"))
                .isEqualTo("Tue, 14 Nov 2023 22:13:20 GMT Tue, 14-Nov-23 22:13:20 GMT Tue, 14 Nov 2023 22:13:20 GMT");
        assertThat(vm.run("return ngx.http_time(0) .. '|' .. ngx.cookie_time(2200000000)"))
                .isEqualTo("Thu, 01 Jan 1970 00:00:00 GMT|Sun, 18-Sep-2039 23:06:40 GMT");
    }

    @Test
    void parseHttpTimeAcceptsTheThreeHttpFormats() {
        assertThat(vm.run("return J(ngx.parse_http_time('Tue, 14 Nov 2023 22:13:20 GMT'),"
                + " ngx.parse_http_time('Tuesday, 14-Nov-23 22:13:20 GMT'), ngx.parse_http_time('Tue Nov 14 22:13:20 2023'),"
                + " ngx.parse_http_time('Sun Nov  6 08:49:37 1994'), ngx.parse_http_time('Sun, 06 Nov 1994 08:49:37'),"
                + " ngx.parse_http_time('garbage'), ngx.parse_http_time('Thu, 01 Jan 1970 00:00:00 GMT'))"))
                .isEqualTo("1700000000 1700000000 1700000000 784111777 784111777 nil 0");
    }
}
