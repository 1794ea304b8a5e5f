package dev.graft.host.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaString;

/**
 * Parity bug (accesslog): a Java stage's log line, a byte string with one char per byte, was
 * logged char for char, so UTF-8 request bytes came out double-encoded ("cafÃ©") where
 * {@code ngx.log} logs "café". {@link BridgeExchange#loggedText} reads the bytes as ngx.log does.
 */
class BridgeLogTextTest {

    private static String byteChars(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void utf8BytesAreLoggedAsTheirText() {
        String text = "graft-access {\"uri\":\"/café\",\"user\":\"zoë €\"}";
        assertThat(BridgeExchange.loggedText(byteChars(text.getBytes(StandardCharsets.UTF_8)))).isEqualTo(text);
    }

    @Test
    void asciiIsLoggedAsItIs() {
        String ascii = "waf: customer=shop score=5";
        assertThat(BridgeExchange.loggedText(ascii)).isSameAs(ascii);
    }

    @Test
    void bytesThatAreNotUtf8ComeOutAsNgxLogWritesThem() {
        // what ngx.log appends for a Lua string argument: LuaJ's tojstring of its bytes
        byte[] raw = {'q', '=', (byte) 0xFF, (byte) 0xC3, 'x', (byte) 0xE9};
        assertThat(BridgeExchange.loggedText(byteChars(raw))).isEqualTo(LuaString.valueUsing(raw).tojstring())
                .isNotEqualTo(byteChars(raw));
    }
}
