package dev.graft.host.lua;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.graft.host.lua.lib.LuaNull;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaValue;

class JsonToLuaTest {

    @Test
    void convertsLikeCjsonDecode() throws Exception {
        LuaValue v = JsonToLua.convert(new ObjectMapper().readTree("""
                {"s": "héllo", "i": 42, "big": 10000000000, "f": 1.5, "t": true, "n": null,
                 "a": [1, "two", {"x": []}], "o": {}}
                """));
        assertThat(v.get("s").tojstring()).isEqualTo("héllo");
        assertThat(v.get("s").checkstring().m_length).isEqualTo(6);
        assertThat(v.get("i").isint()).isTrue();
        assertThat(v.get("i").toint()).isEqualTo(42);
        assertThat(v.get("big").todouble()).isEqualTo(1e10);
        assertThat(v.get("f").todouble()).isEqualTo(1.5);
        assertThat(v.get("t").toboolean()).isTrue();
        assertThat(v.get("n")).isSameAs(LuaNull.NULL);
        assertThat(v.get("a").length()).isEqualTo(3);
        assertThat(v.get("a").get(2).tojstring()).isEqualTo("two");
        assertThat(v.get("a").get(3).get("x").istable()).isTrue();
        assertThat(v.get("o").istable()).isTrue();
    }
}
