package dev.graft.host.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaError;

/**
 * ngx.re from Lua. Unless a comment says otherwise, each expected string was printed by
 * OpenResty (nginx 1.22 + lua-nginx-module + lua-resty-core) for the same call.
 */
class NgxRegexTest {

    private final LuaLibVm vm = LuaLibVm.create();

    private String run(String lua) {
        return vm.run(lua);
    }

    @Test
    void matchReturnsCapturesWithFalseForUnmatched() {
        assertThat(run("return show(ngx.re.match('hello 1234 world', '(\\\\d+)( x)?'))")).isEqualTo("{0=1234,1=1234,2=false}");
        assertThat(run("return show(ngx.re.match('hello 1234', '(?<num>\\\\d+)'))")).isEqualTo("{0=1234,1=1234,num=1234}");
        assertThat(run("return show(ngx.re.match('ab', '(a)(x)?(b)'))")).isEqualTo("{0=ab,1=a,2=false,3=b}");
        assertThat(run("return show(ngx.re.match('ab', '(?<a1>a)(?P<b2>b)'))")).isEqualTo("{0=ab,1=a,2=b,a1=a,b2=b}");
        assertThat(run("return show(ngx.re.match('ab', '(?<my_x>a)'))")).isEqualTo("{0=a,1=a,my_x=a}");
        assertThat(run("return J(ngx.re.match('hello', '\\\\d'))")).isEqualTo("nil");
    }

    @Test
    void optionsCaselessAnchoredDotallMultilineExtended() {
        assertThat(run("return J(show((ngx.re.match('ABC', 'b', 'i'))), show((ngx.re.match('abc', 'b', 'a'))))")).isEqualTo("{0=B} nil");
        assertThat(run("return J(show(ngx.re.match('a\\nb', 'a.b', 's')), show(ngx.re.match('a\\nb', 'a.b')))")).isEqualTo("{0=a\nb} nil");
        assertThat(run("return J(show(ngx.re.match('x\\nab', '^ab', 'm')), show(ngx.re.match('x\\nab', '^ab')))")).isEqualTo("{0=ab} nil");
        assertThat(run("return show(ngx.re.match('abc', ' a b # c\\n c', 'x'))")).isEqualTo("{0=abc}");
        assertThat(run("return J(show(ngx.re.match('a b', 'a\\\\ b', 'x')), show(ngx.re.match('a#b', 'a[#]b', 'x')))"))
                .isEqualTo("{0=a b} {0=a#b}");
        assertThat(run("return show(ngx.re.match('aaa', 'a+', 'jo'))")).isEqualTo("{0=aaa}");
    }

    @Test
    void dollarAndEndAnchorsFollowPcre() {
        assertThat(run("return J(show(ngx.re.match('ab\\n', 'b\\\\Z')), show(ngx.re.match('ab\\n', 'b$')), ngx.re.match('ab\\nc', 'b$'),"
                + " ngx.re.match('ab\\n', 'b\\\\z'))")).isEqualTo("{0=b} {0=b} nil nil");
    }

    @Test
    void utf8OptionCountsCharsButReportsByteOffsets() {
        assertThat(run("return J(show(ngx.re.match('\\195\\169', '^.$', 'u')), show(ngx.re.match('\\195\\169', '^.$')),"
                + " ngx.re.find('a\\195\\169b', 'b', 'u'))")).isEqualTo("{0=\u00e9} nil 4 4");
        assertThat(run("return J(ngx.re.match('\\255', '.', 'u'))")).isEqualTo("nil pcre_exec() failed: -10");
        // a 4-byte character is two Java chars but one match and one step
        assertThat(run("local e = '\\240\\159\\152\\128' return J(ngx.re.find('a' .. e .. 'b', 'b', 'u'), #ngx.re.match(e, '^.$', 'u')[0],"
                + " ngx.re.gsub('a' .. e, '', '-', 'u') == '-a-' .. e .. '-', ngx.re.match(e, 'x', 'u', {pos=2}))"))
                .isEqualTo("6 4 true nil pcre_exec() failed: -11");
    }

    @Test
    void characterSemanticsMatchPcreWithoutUcp() {
        assertThat(run("return J(show(ngx.re.match('\\195\\137', '\\195\\169', 'iu')), show(ngx.re.match('\\195\\137', '(?i)\\195\\169', 'u')),"
                + " show(ngx.re.match('\\201', '\\233', 'i')))")).isEqualTo("{0=\u00c9} {0=\u00c9} nil");
        assertThat(run("return J(show(ngx.re.match('\\195\\169', '\\\\w', 'u')), show(ngx.re.match('\\195\\169a', '\\\\ba', 'u')),"
                + " show(ngx.re.match('\\217\\165', '\\\\d', 'u')), show(ngx.re.match('\\194\\160', '\\\\s', 'u')),"
                + " show(ngx.re.match('\\195\\169', '[[:alpha:]]', 'u')))")).isEqualTo("nil {0=a} nil nil nil");
        assertThat(run("return J(ngx.re.find('\\194\\160', '\\\\h', 'u'), ngx.re.find('\\160', '\\\\h'))")).isEqualTo("1 1 1");
        assertThat(run("return J(show(ngx.re.match('a\\r', 'a$')), show(ngx.re.match('a\\r\\n', 'a.$')), ngx.re.find('\\233', '^.$'))"))
                .isEqualTo("nil {0=a\r} 1 1");
    }

    @Test
    void startOffsetKeepsLookbehindAndCaretSemantics() {
        assertThat(run("return J(show(ngx.re.match('aab', '\\\\Ga', '', {pos=2})), show(ngx.re.match('xab', '\\\\Ga', '', {pos=2})),"
                + " show(ngx.re.match('ab', '^b', '', {pos=2})), show(ngx.re.match('ab', '(?<=a)b', '', {pos=2})))"))
                .isEqualTo("{0=a} {0=a} nil {0=b}");
    }

    @Test
    void ctxPosIsUpdatedAfterTheMatch() {
        assertThat(run("local ctx = {pos=2} local m = ngx.re.match('abcabc', 'a', '', ctx) return J(show(m), ctx.pos)")).isEqualTo("{0=a} 5");
        assertThat(run("return J(ngx.re.find('abcabc', 'b', '', {pos=3}))")).isEqualTo("5 5");
        assertThat(run("local c = {pos=1} local a, b = ngx.re.find('abcabc', 'b', '', c) return J(a, b, c.pos)")).isEqualTo("2 2 3");
        assertThat(run("return J(ngx.re.match('abc', 'c', '', {pos=10}))")).isEqualTo("nil pcre_exec() failed: -24");
    }

    @Test
    void findReturnsByteRangesAndNthCapture() {
        assertThat(run("return J(ngx.re.find('hello 1234', '\\\\d+'))")).isEqualTo("7 10");
        assertThat(run("return J(ngx.re.find('hello 1234', '(\\\\d)(\\\\d)', '', nil, 2))")).isEqualTo("8 8");
        assertThat(run("return J(ngx.re.find('abc', '(x)?c', '', nil, 1))")).isEqualTo("nil");
        // as lua-resty-core: find's errors come third (nil, nil, err); cors and router read them so
        assertThat(run("local a, b, e = ngx.re.find('', '(') return J(a, b, type(e))")).isEqualTo("nil nil string");
    }

    @Test
    void gmatchIteratesIncludingEmptyMatches() {
        assertThat(run("local r = {} for m in ngx.re.gmatch('a1b22c333', '\\\\d+') do r[#r+1] = m[0] end return table.concat(r, ',')"))
                .isEqualTo("1,22,333");
        assertThat(run("local it = ngx.re.gmatch('abc', '') local r = {} for i=1,6 do local m = it() if not m then break end"
                + " r[#r+1] = '[' .. m[0] .. ']' end return table.concat(r, ',')")).isEqualTo("[],[],[],[]");
        assertThat(run("local it = ngx.re.gmatch('xab', 'x*') local r = {} for i=1,6 do local m = it() if not m then break end"
                + " r[#r+1] = '[' .. m[0] .. ']' end return table.concat(r)")).isEqualTo("[x][][][]");
        assertThat(run("local r = {} for m in ngx.re.gmatch('a1b2', '(?<d>\\\\d)') do r[#r+1] = m.d .. m[1] end return table.concat(r)"))
                .isEqualTo("1122");
    }

    @Test
    void subAndGsubWithTemplates() {
        assertThat(run("return J(ngx.re.sub('hello world', 'o', '[$0]'))")).isEqualTo("hell[o] world 1");
        assertThat(run("return J(ngx.re.gsub('hello world', '(o)', '[$1${1}x]'))")).isEqualTo("hell[oox] w[oox]rld 2");
        assertThat(run("return J(ngx.re.gsub('abc', '', '-'))")).isEqualTo("-a-b-c- 4");
        assertThat(run("return J(ngx.re.gsub('abc', 'x*', '-'))")).isEqualTo("-a-b-c- 4");
        assertThat(run("return J(ngx.re.gsub('xab', 'x*', '-'))")).isEqualTo("--a-b- 4");
        assertThat(run("return J(ngx.re.gsub('abc', 'b', '$$'))")).isEqualTo("a$c 1");
        assertThat(run("return J(ngx.re.gsub('abc', '(b)', '$2'))")).isEqualTo("ac 1");
        assertThat(run("return J(ngx.re.gsub('abc', 'b', '${0}${0}'), ngx.re.gsub('abc', 'b', '$10'))")).isEqualTo("abbc ac 1");
        assertThat(run("return J(ngx.re.gsub('abc', 'b', '\\\\$1'))")).isEqualTo("a\\c 1");
        assertThat(run("return J(ngx.re.sub('abc', 'x', 'y'))")).isEqualTo("abc 0");
    }

    @Test
    void badTemplatesFailWithOpenRestysMessage() {
        for (String t : new String[] {"$x", "${1", "x$"}) {
            vm.g.set("t", t);
            assertThat(run("return J(ngx.re.gsub('abc', 'b', t))")).isEqualTo("nil nil failed to compile the replacement template");
        }
    }

    @Test
    void functionReplacementGetsTheMatchTable() {
        assertThat(run("return J(ngx.re.gsub('hello world', 'l+', function(m) return '<' .. m[0] .. '>' end))"))
                .isEqualTo("he<ll>o wor<l>d 2");
        assertThat(run("return J(ngx.re.gsub('abc', '(?<n>b)', function(m) return m.n:upper() end))")).isEqualTo("aBc 1");
        assertThat(run("return J(ngx.re.sub('abc', 'b', function(m) return nil end))")).isEqualTo("anilc 1");
        assertThat(run("return J(ngx.re.sub('abc', 'b', function(m) return 5 end))")).isEqualTo("a5c 1");
        // the callback runs the same (cached) pattern on another subject in the middle of the loop
        assertThat(run("return J(ngx.re.gsub('a1b2', '\\\\d', function(m) return ngx.re.match('x9', '\\\\d')[0] .. m[0] end))"))
                .isEqualTo("a91b92 2");
    }

    @Test
    void compileErrorsAreReturnedAndUnknownFlagsRaise() {
        assertThat(run("return J(ngx.re.match('abc', '('))")).isEqualTo("nil pcre_compile() failed: missing ) in \"(\"");
        assertThatThrownBy(() -> run("ngx.re.match('abc', 'a', 'q')")).isInstanceOf(LuaError.class)
                .hasMessageContaining("unknown flag \"q\" (flags \"q\")");
        assertThat(run("return J(ngx.re.match('foobar', 'foo\\\\Kbar'))")).startsWith("nil pcre_compile() failed: \\K");
        assertThat(run("return J(ngx.re.match('abc', 'b', 'd'))")).startsWith("nil pcre_compile() failed: the DFA mode");
        assertThat(run("return J(ngx.re.gsub('abc', '(', 'x'))")).startsWith("nil nil pcre_compile() failed: missing )");
        assertThat(run("return J(ngx.re.gmatch('abc', '('))")).startsWith("nil pcre_compile() failed: missing )");
        // OpenResty: "two named subpatterns have the same name ..." — the D option allows it
        assertThat(run("return J(ngx.re.match('ab', '(?<x>a)|(?<x>b)'))")).startsWith("nil pcre_compile() failed: two named subpatterns");
        assertThat(run("return show(ngx.re.match('b', '(?<x>a)|(?<x>b)', 'D'))")).isEqualTo("{0=b,1=false,2=b,x={b}}");
    }

    @Test
    void pcreOnlySyntaxIsTranslated() {
        assertThat(run("return show(ngx.re.match('ab1', '[[:digit:]]+'))")).isEqualTo("{0=1}");
        assertThat(run("return J(show(ngx.re.match('aB_1 ', '[[:upper:][:punct:]]+')), show(ngx.re.match('x', '[[:^alpha:]]')))"))
                .isEqualTo("{0=B_} nil");
        assertThat(run("return show(ngx.re.match('a{,3}', 'a{,3}'))")).isEqualTo("{0=a{,3}}");
        assertThat(run("return J(show(ngx.re.match('a\\tb', 'a\\\\hb')), show(ngx.re.match('a\\r\\nb', 'a\\\\Rb')))"))
                .isEqualTo("{0=a\tb} {0=a\r\nb}");
        assertThat(run("return J(show(ngx.re.match('A', '\\\\101')), show(ngx.re.match('A', '\\\\x41')), show(ngx.re.match('A', '\\\\x{41}')))"))
                .isEqualTo("{0=A} {0=A} {0=A}");
        assertThat(run("return J(show(ngx.re.match('a.b', '\\\\Q.\\\\E')), show(ngx.re.match('ab', 'a(?=b)')), show(ngx.re.match('aab', 'a++b')),"
                + " show(ngx.re.match('ab', '(?<=a)b')))")).isEqualTo("{0=.} {0=a} {0=aab} {0=b}");
    }

    @Test
    void catastrophicBacktrackingHitsTheMatchLimit() {
        // OpenResty gives the same error for '(a+)+$' on 30 a's and a b; java.util.regex
        // memoizes that loop, so the test uses patterns it cannot, and a small limit
        // (the subjects hold the required b, after a c, so the literal prefilter lets them through)
        LuaLibVm limited = LuaLibVm.create(new RegexCache(16, 100_000));
        assertThat(limited.run("return J(ngx.re.match(string.rep('a', 30) .. 'cb', '(a+?)+?b'))")).isEqualTo("nil pcre_exec() failed: -8");
        assertThat(limited.run("return J(ngx.re.gsub(string.rep('a', 30) .. 'cb', '(a*)*\\\\1b', ''))")).isEqualTo("nil nil pcre_exec() failed: -8");
        assertThat(limited.run("return J(ngx.re.find(string.rep('a', 30) .. 'b', 'a+b'))")).isEqualTo("1 31");
    }

    @Test
    void subjectWithoutARequiredLiteralIsNoMatchWithoutSpendingTheBudget() {
        // PCRE's required-character check answers these without backtracking; so does the prefilter
        LuaLibVm limited = LuaLibVm.create(new RegexCache(16, 100_000));
        assertThat(limited.run("return J(ngx.re.match(string.rep('a', 30), '(a+?)+?b'))")).isEqualTo("nil");
        assertThat(limited.run("return J(ngx.re.find(string.rep('a', 30), '(a+?)+?b'))")).isEqualTo("nil");
        assertThat(limited.run("return J(ngx.re.gsub(string.rep('a', 30), '(a*)*\\\\1b', ''))")).isEqualTo(
                "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 0");
        // a match found before the rejected rest of the subject is still found; ctx.pos past the literal is not
        assertThat(run("local a, b = ngx.re.find('xSELECTy', 'select', 'i')"
                + " return J(a, b, ngx.re.find('xSELECTy', 'select', 'i', {pos=3}))"))
                .isEqualTo("2 7 nil");
        // bad UTF-8 is still an error before any prefilter
        assertThat(run("return J(ngx.re.find('\\255', 'select', 'u'))")).isEqualTo("nil nil pcre_exec() failed: -10");
    }

    @Test
    void subjectIsConvertedWithTostring() {
        assertThat(run("return J(show(ngx.re.match(12345, '3')), ngx.re.match(nil, 'a'))")).isEqualTo("{0=3} nil");
    }

    @Test
    void resTableIsFilled() {
        assertThat(run("local res = {} local m = ngx.re.match('abc', 'b', '', nil, res) return J(m == res, res[0])")).isEqualTo("true b");
    }

    @Test
    void splitLikeRestyCore() {
        String sj = "local split = require 'ngx.re'.split local function sj(t) if not t then return 'nil' end"
                + " return '[' .. table.concat(t, '|') .. ']' end ";
        assertThat(run(sj + "return J(sj(split('a,b,,c,', ',')), sj(split('a1b2c', '(\\\\d)')), sj(split('a,b,c', ',', nil, nil, 2)),"
                + " sj(split('abc', '')), sj(split(',a', ',')))")).isEqualTo("[a|b||c] [a|1|b|2|c] [a|b,c] [a|b|c] [|a]");
        assertThat(run(sj + "return J(sj(split('a,b,c', ',', nil, nil, -1)), sj(split('a,b', ',', nil, nil, 0, {'x','y','z'})),"
                + " sj(split('a,b,c', ',', nil, {pos=3})), sj(split('a,b', '(x)?,')))")).isEqualTo("[a|b|c] [a|b] [b|c] [a|b]");
        assertThat(run(sj + "return J(sj(split('a,,', ',')), #split(',,', ','), sj(split('ab', 'x*')))")).isEqualTo("[a] 0 [a|b]");
        assertThat(run(sj + "return J(split('abc', '('))")).startsWith("nil pcre_compile() failed");
    }

    @Test
    void compiledPatternsAreCachedWithABound() {
        RegexCache cache = new RegexCache(2, RegexCache.DEFAULT_MATCH_LIMIT);
        LuaLibVm small = LuaLibVm.create(cache);
        small.run("ngx.re.match('a', 'a') ngx.re.match('a', 'a') ngx.re.match('a', 'a', 'i') ngx.re.match('a', 'b')");
        assertThat(cache.size()).isEqualTo(2);
    }
}
