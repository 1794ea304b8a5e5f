package dev.graft.host.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.luaj.vm2.LuaError;

/**
 * Expected output was printed by lua-cjson under OpenResty on this machine (Debian's
 * lua-cjson 2.1.0 for encode/decode; OpenResty-fork extras from its documentation).
 */
class CjsonLibraryTest {

    private final LuaLibVm vm = LuaLibVm.create();

    private String run(String lua) {
        return vm.run("local cjson = require 'cjson' " + lua);
    }

    @Test
    void encodesTablesStringsAndEscapes() {
        assertThat(run("return cjson.encode({1,2,3}) .. cjson.encode({}) .. cjson.encode({a=1}) .. cjson.encode({[1]=1,[3]=3})"
                + " .. cjson.encode('a/b\"\\\\\\1\\127\\195\\169\\n\\t\\b\\f\\r')"))
                .isEqualTo("[1,2,3]{}{\"a\":1}[1,null,3]\"a\\/b\\\"\\\\\\u0001\\u007fé\\n\\t\\b\\f\\r\"");
    }

    @Test
    void formatsNumbersWithPercentFourteenG() {
        assertThat(run("return J(cjson.encode(0.1), cjson.encode(1/3), cjson.encode(1e20), cjson.encode(1e15),"
                + " cjson.encode(123456789012345678), cjson.encode(-0.0), cjson.encode(3.0), cjson.encode(2^53),"
                + " cjson.encode(1e-5), cjson.encode(100), cjson.encode(1.5e300))"))
                .isEqualTo("0.1 0.33333333333333 1e+20 1e+15 1.2345678901235e+17 0 3 9.007199254741e+15 1e-05 100 1.5e+300");
    }

    @Test
    void encodeErrorsUseCjsonMessages() {
        assertThat(run("return J(pcall(cjson.encode, 0/0))")).isEqualTo("false Cannot serialise number: must not be NaN or Inf");
        assertThat(run("return J(pcall(cjson.encode, 1/0))")).isEqualTo("false Cannot serialise number: must not be NaN or Inf");
        assertThat(run("return J(pcall(cjson.encode, function() end))")).isEqualTo("false Cannot serialise function: type not supported");
        assertThat(run("return J(pcall(cjson.encode, {[true]=1}))"))
                .isEqualTo("false Cannot serialise boolean: table key must be a number or string");
        assertThat(run("return J(pcall(cjson.encode, {[1]=1,[100]=2}))"))
                .isEqualTo("false Cannot serialise table: excessively sparse array");
        assertThat(run("local t = {} local cur = t for i=1,1001 do cur[1] = {} cur = cur[1] end return J(pcall(cjson.encode, t))"))
                .isEqualTo("false Cannot serialise, excessive nesting (1001)");
    }

    @Test
    void arrayDetectionLikeCjson() {
        assertThat(run("return cjson.encode({[1]=1,[2]=2,[4]=4}) .. cjson.encode({[1.5]=1}) .. cjson.encode({[2]=1})"
                + " .. cjson.encode({[10]=1}) .. cjson.encode({[-1]=1}) .. cjson.encode({[0]=1})"))
                .isEqualTo("[1,2,null,4]{\"1.5\":1}[null,1][null,null,null,null,null,null,null,null,null,1]{\"-1\":1}{\"0\":1}");
        assertThat(run("return cjson.encode({true,false,'x',{y=cjson.null}})")).isEqualTo("[true,false,\"x\",{\"y\":null}]");
    }

    @Test
    void nullIsNgxNull() {
        assertThat(run("return J(cjson.encode(cjson.null), cjson.null == ngx.null, tostring(ngx.null), type(ngx.null))"))
                .isEqualTo("null true userdata: NULL userdata");
        assertThat(run("local d = cjson.decode('{\"a\":null}') return J(d.a, d.a == ngx.null)")).isEqualTo("userdata: NULL true");
    }

    @ParameterizedTest(name = "decode {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``|false Expected value but found T_END at character 1",
        "x|false Expected value but found invalid token at character 1",
        "[1,|false Expected value but found T_END at character 4",
        "{\"a\":}|false Expected value but found T_OBJ_END at character 6",
        "[1 2]|false Expected comma or array end but found T_NUMBER at character 4",
        "{\"a\" 1}|false Expected colon but found T_NUMBER at character 6",
        "nul|false Expected value but found invalid token at character 1",
        "\"abc|false Expected value but found unexpected end of string at character 5",
        "[1]x|false Expected the end but found invalid token at character 4",
        "{1:2}|false Expected object key string but found T_NUMBER at character 2",
        "01|true 1",
        "1.|true 1",
        "-|false Expected value but found invalid number at character 1",
        "[1e2, -0, 1.5E-3, 12345678901234567890]|true [100,0,0.0015,1.2345678901235e+19]",
        "{\"a\":null,\"b\":[null]}|true {\"a\":null,\"b\":[null]}",
        "\"\\x\"|false Expected value but found invalid escape code at character 2",
        "`  [ ] `|true {}",
        "0x10|true 16",
        "[0x1F]|true [31]",
        "inf|true inf",
        "-Infinity|true -inf",
        "+1|true 1",
        "1e|false Expected the end but found invalid token at character 2",
        "1e+|false Expected the end but found invalid token at character 2",
        ".5|false Expected value but found invalid token at character 1",
        "-.5|true -0.5",
        "-01|true -1",
        "1.5e3x|false Expected the end but found invalid token at character 6",
        "[1,]|false Expected value but found T_ARR_END at character 4",
        "{\"a\":1,}|false Expected object key string but found T_OBJ_END at character 8",
        "\"\\u00\"|false Expected value but found invalid unicode escape code at character 2",
        "\"\\uD800\\u0041\"|false Expected value but found invalid unicode escape code at character 2",
        "\"\\udc00\"|false Expected value but found invalid unicode escape code at character 2",
    })
    void decodeLikeCjson(String json, String expected) {
        vm.g.set("input", json);
        assertThat(run("local ok, v = pcall(cjson.decode, input) if ok and type(v) == 'table' then v = cjson.encode(v) end"
                + " return J(ok, v)")).isEqualTo(expected);
    }

    @Test
    void decodesUnicodeEscapesAndSurrogatePairsToUtf8() {
        // compared as bytes: LuaJ's own tojstring cannot decode 4-byte UTF-8
        assertThat(run("local s = cjson.decode('\"\\\\u00e9\\\\ud83d\\\\ude00\"') return table.concat({s:byte(1, -1)}, ',')"))
                .isEqualTo("195,169,240,159,152,128");
        assertThat(run("return J(pcall(cjson.decode, '\"\\\\ud83d\"'))"))
                .isEqualTo("false Expected value but found invalid unicode escape code at character 2");
    }

    @Test
    void decodeDepthLimit() {
        assertThat(run("local v = cjson.decode('nan') return J(v ~= v, cjson.encode('\\0'), cjson.encode({['a/b']=1}))"))
                .isEqualTo("true \"\\u0000\" {\"a\\/b\":1}");
        assertThat(run("return J(pcall(cjson.decode, string.rep('[', 1001) .. string.rep(']', 1001)))"))
                .isEqualTo("false Found too many nested data structures (1001) at character 1001");
        assertThat(run("return J(pcall(cjson.decode, string.rep('[', 1000) .. string.rep(']', 1000)))")).startsWith("true table");
    }

    @Test
    void safeVariantReturnsNilAndError() {
        assertThat(vm.run("local s = require 'cjson.safe' return J(s.decode('x'))"))
                .isEqualTo("nil Expected value but found invalid token at character 1");
        assertThat(vm.run("local s = require 'cjson.safe' return J(s.encode(function() end))"))
                .isEqualTo("nil Cannot serialise function: type not supported");
        assertThatThrownBy(() -> run("cjson.decode('x')")).isInstanceOf(LuaError.class)
                .hasMessageContaining("Expected value but found invalid token at character 1");
    }

    @Test
    void openRestyExtensions() {
        assertThat(run("return cjson.encode({a=cjson.empty_array}) .. cjson.encode(setmetatable({}, cjson.array_mt))"
                + " .. cjson.encode(setmetatable({}, cjson.empty_array_mt)) .. cjson.encode(setmetatable({1, 2}, cjson.empty_array_mt))"))
                .isEqualTo("{\"a\":[]}[][][1,2]");
        assertThat(run("cjson.encode_empty_table_as_object(false) local r = cjson.encode({}) .. cjson.encode({a={}})"
                + " cjson.encode_empty_table_as_object(true) return r .. cjson.encode({})"))
                .isEqualTo("[]{\"a\":[]}{}");
        assertThat(run("cjson.encode_escape_forward_slash(false) local r = cjson.encode('a/b') cjson.encode_escape_forward_slash(true) return r"))
                .isEqualTo("\"a/b\"");
        assertThat(run("cjson.decode_array_with_array_mt(true) local t = cjson.decode('[]') cjson.decode_array_with_array_mt(false)"
                + " return J(getmetatable(t) == cjson.array_mt, cjson.encode(t))"))
                .isEqualTo("true []");
        assertThat(run("cjson.encode_number_precision(3) local r = cjson.encode(1/3) cjson.encode_number_precision(14) return r"))
                .isEqualTo("0.333");
        assertThat(run("return cjson.encode(cjson.decode('{\"k\":[1,{\"x\":\"y\"}]}'))")).isEqualTo("{\"k\":[1,{\"x\":\"y\"}]}");
    }

    @Test
    void bytesPassThroughUnchanged() {
        assertThat(run("local s = cjson.decode('\"\\255\\1\"') return J(#s, s:byte(1), s:byte(2))")).isEqualTo("2 255 1");
    }
}
