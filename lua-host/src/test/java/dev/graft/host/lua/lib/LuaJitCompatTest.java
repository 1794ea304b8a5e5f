package dev.graft.host.lua.lib;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Expected values were printed by LuaJIT 2.1 under OpenResty (nginx 1.22, lua-nginx-module). */
class LuaJitCompatTest {

    private final LuaLibVm vm = LuaLibVm.create();

    @Test
    void bitOperationsGiveSignedThirtyTwoBitResultsLikeLuaJit() {
        assertThat(vm.run("return J(bit.tobit(0xffffffff), bit.tohex(255), bit.tohex(-1, -4), bit.band(-1, 0xff),"
                + " bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-256, 4), bit.rol(0x12345678, 8),"
                + " bit.ror(0x12345678, 8), bit.bswap(0x12345678), bit.bnot(0), bit.tobit(2^32+5), bit.lshift(1, 33),"
                + " bit.tohex(0x12345678, 3))"))
                .isEqualTo("-1 000000ff FFFF 255 -2147483648 15 -16 878082066 2014458966 2018915346 -1 5 2 678");
    }

    @Test
    void tobitRoundsHalfToEvenAndWrapsLikeLuaJit() {
        assertThat(vm.run("return J(bit.tohex(1.5), bit.tobit(1.5), bit.tobit(-1.5), bit.tobit(2.5),"
                + " bit.band(2^31, 1+2^31), bit.tohex(-1,0), bit.tohex(-1,-9), bit.tohex(0x1234,10), bit.band(1,3,7),"
                + " bit.lshift(1,-1), bit.tobit(2^53), bit.tobit(-2^31-1))"))
                .isEqualTo("00000002 2 -2 2 -2147483648  0FFFFFFFF 0000001234 1 -2147483648 0 2147483647");
    }

    @Test
    void bxorOfMinusOneIsMinusOneNotUnsigned() {
        assertThat(vm.run("return J(bit.bxor(-1, 0), bit.bor(1, 2, 4), bit.band('12', 3))")).isEqualTo("-1 7 0");
    }

    @Test
    void unpackAndTableNewAndClearExist() {
        assertThat(vm.run("local a, b = unpack({1, 2}); local t = table.new(4, 0); t[1] = 1; t.x = 2;"
                + " table.clear(t); local new = require 'table.new'; local clear = require 'table.clear';"
                + " return J(a, b, next(t), type(new(1, 1)), clear == table.clear)"))
                .isEqualTo("1 2 nil table true");
    }
}
