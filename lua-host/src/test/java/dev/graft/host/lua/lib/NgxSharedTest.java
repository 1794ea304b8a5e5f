package dev.graft.host.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaError;

/** Return values and error strings as printed by OpenResty for the same calls on a lua_shared_dict. */
class NgxSharedTest {

    private final LuaLibVm vm = LuaLibVm.create();

    private String run(String lua) {
        return vm.run("local d = ngx.shared.d " + lua);
    }

    @Test
    void setGetWithFlags() {
        assertThat(run("return J(d:set('a', 'x', 0, 5))")).isEqualTo("true nil false");
        assertThat(run("return J(d:get('a'))")).isEqualTo("x 5");
        assertThat(run("return J(d:get('zz'))")).isEqualTo("nil");
        assertThat(run("d:set('n', 13.5) return J(d:get('n'), type(d:get('n')))")).isEqualTo("13.5 number");
        assertThat(run("d:set('b', true) return J(d:get('b'), type(d:get('b')))")).isEqualTo("true boolean");
        assertThat(run("return J(d:set('b', nil), d:get('b'))")).isEqualTo("true nil");
    }

    @Test
    void addReplaceAndTheirErrors() {
        run("d:set('a', 'x')");
        assertThat(run("return J(d:add('a', 'y'))")).isEqualTo("false exists false");
        assertThat(run("return J(d:safe_add('a', 'y'))")).isEqualTo("false exists false");
        assertThat(run("return J(d:replace('nope', 1))")).isEqualTo("false not found false");
        assertThat(run("return J(d:replace('a', 'w'), d:get('a'))")).isEqualTo("true w");
        assertThat(run("return J(d:delete('a'), d:get('a'))")).isEqualTo("true nil");
    }

    @Test
    void incrLikeOpenResty() {
        assertThat(run("return J(d:incr('n', 1))")).isEqualTo("nil not found");
        assertThat(run("return J(d:incr('n', 1, 10))")).isEqualTo("11 nil false");
        assertThat(run("return J(d:incr('n', 2.5))")).isEqualTo("13.5");
        assertThat(run("d:set('s', 'x') return J(d:incr('s', 1))")).isEqualTo("nil not a number");
        assertThat(run("return J(d:incr('it', 1, 0, 10))")).isEqualTo("1 nil false");
        assertThat(run("return J(d:ttl('it'))")).isEqualTo("10");
        assertThat(run("return J(d:incr('fl', 0.5, 0), d:incr('fl', 1))")).isEqualTo("0.5 1.5");
        assertThatThrownBy(() -> run("d:incr('q', 1, 'x')")).isInstanceOf(LuaError.class)
                .hasMessageContaining("bad init arg: number expected, got string");
    }

    @Test
    void keyAndValueChecks() {
        assertThat(run("return J(d:get(nil))")).isEqualTo("nil nil key");
        assertThat(run("return J(d:get(''))")).isEqualTo("nil empty key");
        assertThat(run("return J(d:set('t', {}))")).isEqualTo("nil bad value type");
        assertThat(run("return J(d:set(string.rep('k', 65536), 1))")).isEqualTo("nil key too long");
        assertThat(run("d:set(5, 'v') return J(d:get(5), d:get('5'))")).isEqualTo("v v");
        assertThatThrownBy(() -> run("d:set('z', 1, -1)")).isInstanceOf(LuaError.class)
                .hasMessageContaining("bad \"exptime\" argument");
    }

    @Test
    void dotCallFailsWithBadZone() {
        assertThatThrownBy(() -> run("d.get('a')")).isInstanceOf(LuaError.class)
                .hasMessageContaining("bad \"zone\" argument");
        assertThat(vm.run("return tostring(ngx.shared.nope)")).isEqualTo("nil");
    }

    @Test
    void lists() {
        assertThat(run("return J(d:lpush('l', 'a'), d:rpush('l', 2), d:llen('l'), d:lpop('l'), d:rpop('l'), d:lpop('l'), d:llen('l'))"))
                .isEqualTo("1 2 2 a 2 nil 0");
        assertThat(run("d:set('s', 'str') return J(d:lpush('s', 'x'))")).isEqualTo("nil value not a list");
        assertThat(run("d:lpush('l2', 'x') return J(d:get('l2'))")).isEqualTo("nil value is a list");
        assertThat(run("return J(d:incr('l2', 1))")).isEqualTo("nil not a number");
        assertThat(run("return J(d:llen('nolist'), d:lpop('nolist'))")).isEqualTo("0 nil");
        assertThat(run("return J(d:lpush('l3', {}))")).isEqualTo("nil bad value type");
        assertThat(run("return J(d:lpush('l3', true))")).isEqualTo("nil bad value type");
    }

    @Test
    void ttlExpireAndStale() {
        run("d:set('n', 1)");
        assertThat(run("return J(d:ttl('n'), d:ttl('miss'))")).isEqualTo("0 nil not found");
        run("d:set('e', 1, 100)");
        assertThat(run("return J(d:ttl('e'))")).isEqualTo("100");
        vm.clock.millis += 40_500;
        assertThat(run("return J(d:ttl('e'))")).isEqualTo("59.5");
        assertThat(run("return J(d:expire('e', 0), d:ttl('e'), d:expire('miss', 1))")).isEqualTo("true 0 nil not found");
        run("d:set('x', 'v', 1, 3)");
        vm.clock.millis += 1_000;
        assertThat(run("return J(d:get('x'))")).isEqualTo("nil");
        assertThat(run("return J(d:get_stale('x'))")).isEqualTo("v 3 true");
        assertThat(run("return J(d:get_stale('n'))")).isEqualTo("1 nil false");
        vm.clock.millis += 500;
        assertThat(run("return J(d:ttl('x'))")).isEqualTo("-0.5");
        assertThat(run("return J(d:add('x', 'w'))")).isEqualTo("true nil false");
        assertThat(run("return J(d:get('x'))")).isEqualTo("w");
    }

    @Test
    void keysFlushAndCapacity() {
        run("d:set('a', 1) d:set('b', 2) d:set('c', 3, 1)");
        assertThat(run("return J(#d:get_keys(), #d:get_keys(1), #d:get_keys(0))")).isEqualTo("3 1 3");
        vm.clock.millis += 2_000;
        assertThat(run("return J(#d:get_keys(0), d:flush_expired(), #d:get_keys(0))")).isEqualTo("2 1 2");
        assertThat(run("d:flush_all() return J(d:get('a'), d:get_stale('a'), #d:get_keys(0), d:flush_expired())")).isEqualTo("nil nil 0 0");
        assertThat(run("return J(d:capacity(), d:free_space())")).isEqualTo("12288 12288");
    }

    @Test
    void fullDictEvictsOnSetAndRefusesSafeSet() {
        assertThat(run("local big = string.rep('x', 3000) local r = {}"
                + " for i = 1, 5 do local ok, err, forcible = d:set('big' .. i, big) r[#r+1] = tostring(ok) .. ',' .. tostring(forcible) end"
                + " return table.concat(r, ' ')"))
                .isEqualTo("true,false true,false true,false true,false true,true");
        assertThat(run("return J(d:get('big1'), #d:get('big5'))")).isEqualTo("nil 3000");
        assertThat(run("return J(d:safe_set('big6', string.rep('y', 3000)))")).isEqualTo("false no memory false");
        assertThat(run("return J(d:set('huge', string.rep('y', 20000)))")).isEqualTo("false no memory false");
    }
}
