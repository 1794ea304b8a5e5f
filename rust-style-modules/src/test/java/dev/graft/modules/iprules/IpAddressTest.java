package dev.graft.modules.iprules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @ParameterizedTest
    @CsvSource({
        "192.0.2.1, 192.0.2.1",
        "0.0.0.0, 0.0.0.0",
        "2001:0DB8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:0:0:0:0, 2001:db8:0:1::",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "::, ::",
        "1::, 1::",
        "::1, ::1",
        "::ffff:192.0.2.10, 192.0.2.10",
        "::FFFF:c000:20a, 192.0.2.10",
        "64:ff9b::192.0.2.33, 64:ff9b::c000:221",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
        "1:0:0:2:0:0:3:4, 1::2:0:0:3:4",
    })
    void canonicalText(String in, String out) {
        assertThat(IpAddress.parse(in)).hasValueSatisfying(a -> assertThat(a.format()).isEqualTo(out));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "010.0.0.1", "1.2.3.256", "1.2.3", "1.2.3.4.5", "1234.1.1.1", "fe80::1%eth0",
        "2001::db8::1", "2001:::1", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1:", ":1", "1::2:3:4:5:6:7:8",
        "::1.2.3", "1.2.3.4::", "12345::", "g::", "::1.2.3.4.5", "1:2:3:4:5:6:7:8:", " 1.2.3.4"})
    void unreadable(String in) {
        assertThat(IpAddress.parse(in)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "192.0.2.1:5123|192.0.2.1",
        "[2001:db8::5]:443|2001:db8::5",
        "[2001:db8::6]|2001:db8::6",
        "2001:db8::7|2001:db8::7",
        "garbage|garbage",
    })
    void stripsPorts(String in, String out) {
        assertThat(IpAddress.stripPort(in)).hasValue(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.1:", "192.0.2.1:x", "[::1", "[::1]x", "[::1]:", "1.2.3.4:80a"})
    void malformedPorts(String in) {
        assertThat(IpAddress.stripPort(in)).isEmpty();
    }

    @Test
    void networksClearHostBitsAndKeepTheirFamily() {
        Network n = ((Network.Readable) Network.parse("192.0.2.77/24")).network();
        assertThat(n.contains(IpAddress.parse("192.0.2.1").orElseThrow())).isTrue();
        assertThat(n.contains(IpAddress.parse("192.0.3.1").orElseThrow())).isFalse();
        Network mapped = ((Network.Readable) Network.parse("::ffff:198.51.100.0/120")).network();
        assertThat(mapped.prefix()).isEqualTo(24);
        assertThat(mapped.contains(IpAddress.parse("198.51.100.9").orElseThrow())).isTrue();
        Network v6 = ((Network.Readable) Network.parse("2001:db8:8000::/33")).network();
        assertThat(v6.contains(IpAddress.parse("2001:db8:ffff::1").orElseThrow())).isTrue();
        assertThat(v6.contains(IpAddress.parse("2001:db8:7fff::1").orElseThrow())).isFalse();
        Network all4 = ((Network.Readable) Network.parse("0.0.0.0/0")).network();
        assertThat(all4.contains(IpAddress.parse("2001:db8::1").orElseThrow())).isFalse();
        assertThat(Network.parse("10.0.0.0/08")).isInstanceOf(Network.Readable.class);
        assertThat(Network.parse("10.0.0.0/")).isEqualTo(new Network.Unreadable("bad prefix length"));
        assertThat(Network.parse("10.0.0.0/0008")).isEqualTo(new Network.Unreadable("bad prefix length"));
    }
}
