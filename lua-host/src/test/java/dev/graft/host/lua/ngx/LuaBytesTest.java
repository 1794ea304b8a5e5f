package dev.graft.host.lua.ngx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaString;

class LuaBytesTest {

    private static byte[] bytes(LuaString s) {
        return LuaBytes.bytes(s);
    }

    /** The definition: one byte per char, the char's low byte. */
    private static byte[] truncated(CharSequence s) {
        byte[] b = new byte[s.length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) s.charAt(i);
        }
        return b;
    }

    @Test
    void aStringGivesOneBytePerCharLikeAnyCharSequence() {
        // the String path copies through getBytes(ISO_8859_1), which writes '?' for chars above
        // 0xFF and one '?' for a whole surrogate pair: the result must still be one byte per char
        for (String s : new String[] {"", "plain ascii", "/search?q=1&x=?", "caf\u00e9 \u00ff\u0080",
                "\u20ac100 ?", "a\ud83d\ude00b?", "\ud83d\ude00", "?\u0141?"}) {
            assertThat(bytes(LuaBytes.latin1(s))).as(s).isEqualTo(truncated(s));
            assertThat(bytes(LuaBytes.latin1(new StringBuilder(s)))).as(s).isEqualTo(truncated(s));
        }
    }

    @Test
    void latin1RoundTripsEveryByte() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        String text = LuaBytes.latin1(LuaString.valueUsing(all));
        assertThat(bytes(LuaBytes.latin1(text))).isEqualTo(all);
    }
}
