package dev.graft.host.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Expected strings were printed by OpenResty (nginx 1.22 + lua-nginx-module) for the same input. */
class NgxCodecsTest {

    private final LuaLibVm vm = LuaLibVm.create();

    private static final String ALL_BYTES = "local all = {} for i=0,255 do all[#all+1]=string.char(i) end all = table.concat(all) ";

    @Test
    void escapeUriDefaultTypeTwoEscapesLikeNgxEscapeUriComponent() {
        assertThat(vm.run(ALL_BYTES + "return ngx.escape_uri(all)")).isEqualTo(
                "%00%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F%10%11%12%13%14%15%16%17%18%19%1A%1B%1C%1D%1E%1F"
                + "%20!%22%23%24%25%26'()*%2B%2C-.%2F0123456789%3A%3B%3C%3D%3E%3F%40ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                + "%5B%5C%5D%5E_%60abcdefghijklmnopqrstuvwxyz%7B%7C%7D~%7F" + highBytes());
    }

    @Test
    void escapeUriTypeZeroKeepsUriPunctuation() {
        assertThat(vm.run(ALL_BYTES + "return ngx.escape_uri(all, 0)")).isEqualTo(
                "%00%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F%10%11%12%13%14%15%16%17%18%19%1A%1B%1C%1D%1E%1F"
                + "%20!\"%23$%25&'()*+,-./0123456789:;<=>%3F@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~%7F"
                + highBytes());
    }

    private static String highBytes() {
        StringBuilder sb = new StringBuilder();
        for (int c = 0x80; c <= 0xFF; c++) {
            sb.append('%').append(String.format("%02X", c));
        }
        return sb.toString();
    }

    @Test
    void unescapeUriDecodesPlusAndKeepsMalformedEscapes() {
        // measured: ngx.unescape_uri does turn '+' into a space
        assertThat(vm.run("return ngx.unescape_uri('a+b%20c%2x%zz%41%4')")).isEqualTo("a b c%2x%zzA%4");
    }

    @Test
    void encodeArgsEscapesAndHandlesBooleansAndLists() {
        // OpenResty keeps table order, which differs between LuaJIT and LuaJ: compare sorted parts
        assertThat(vm.run("local s = ngx.encode_args({b='x y', a={'1','2'}, c=true, d=false, e=3.5, ['k y']='v/w'})"
                + " local parts = {} for p in s:gmatch('[^&]+') do parts[#parts+1] = p end table.sort(parts)"
                + " return table.concat(parts, '&')"))
                .isEqualTo("a=1&a=2&b=x%20y&c&e=3.5&k%20y=v%2Fw");
    }

    @Test
    void encodeArgsErrorsAndEmptyValues() {
        assertThat(vm.run("return J(pcall(ngx.encode_args, {[1]='a'}))"))
                .isEqualTo("false attempt to use a non-string key in the \"args\" option table");
        assertThat(vm.run("return J(pcall(ngx.encode_args, {a={b={}}}))")).isEqualTo("false attempt to use table as query arg value");
        assertThat(vm.run("return ngx.encode_args({}) .. '|' .. ngx.encode_args({a={}}) .. '|' .. ngx.encode_args({a={true,false,'x'}})"))
                .isEqualTo("||a&a=x");
    }

    @Test
    void decodeArgsCollectsRepeatsAndSkipsEmptyKeys() {
        assertThat(vm.run("return show(ngx.decode_args('a=1&b=2&a=3&c&d=&=e&f=x+y%20z&&g'))"))
                .isEqualTo("{a={1,3},b=2,c=true,d=,f=x y z,g=true}");
    }

    @Test
    void decodeArgsStopsAtMaxArgs() {
        assertThat(vm.run("return show(ngx.decode_args('a=1&b=2&c=3', 2))")).isEqualTo("{a=1,b=2}");
        assertThat(vm.run("return J(select('#', ngx.decode_args('a=1&b=2&c=3', 2)), select(2, ngx.decode_args('a=1&b=2&c=3', 2)))"))
                .isEqualTo("2 truncated");
        assertThat(vm.run("return select('#', ngx.decode_args('a=1&b=2', 2))")).isEqualTo("1");
        assertThat(vm.run("return show(ngx.decode_args('a=1&b=2&c=3', 0))")).isEqualTo("{a=1,b=2,c=3}");
    }

    @Test
    void base64FollowsNginxDecodingRules() {
        assertThat(vm.run("return J(ngx.encode_base64('ab'), ngx.encode_base64('ab', true), ngx.decode_base64('YWI'),"
                + " ngx.decode_base64('YW=='), ngx.decode_base64('Y$I='), ngx.decode_base64('YWI=\\n'), ngx.decode_base64(''),"
                + " ngx.decode_base64('Y'))"))
                .isEqualTo("YWI= YWI ab a nil ab  nil");
    }

    @Test
    void digestsMatchOpenResty() {
        assertThat(vm.run("return J(ngx.crc32_short('hello'), ngx.crc32_long('hello'), ngx.md5('hello'),"
                + " ngx.encode_base64(ngx.md5_bin('hello')), ngx.encode_base64(ngx.sha1_bin('abc')),"
                + " ngx.encode_base64(ngx.hmac_sha1('key', 'The quick brown fox jumps over the lazy dog')),"
                + " #ngx.hmac_sha1('', ''))"))
                .isEqualTo("907060870 907060870 5d41402abc4b2a76b9719d911017c592 XUFAKrxLKna5cZ2REBfFkg=="
                        + " qZk+NkcGgWq6PiVxeFDCbJzQ2J0= 3nybhbi3iqa8ino29wqQcBydtNk= 20");
    }

    @Test
    void quoteSqlStrEscapesLikeMysql() {
        assertThat(vm.run("return ngx.quote_sql_str('a\\'b\"c\\\\\\0\\n\\r\\t\\26x')"))
                .isEqualTo("'a\\'b\\\"c\\\\\\0\\n\\r\\t\\Zx'");
    }

    @Test
    void nilAndNumbersAreAcceptedAsStrings() {
        assertThat(vm.run("return J(ngx.escape_uri(nil), ngx.md5(12), ngx.encode_base64(1))"))
                .isEqualTo(" c20ad4d76fe97759aa27a0c99bff6710 MQ==");
    }
}
