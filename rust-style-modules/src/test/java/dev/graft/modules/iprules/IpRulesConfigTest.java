package dev.graft.modules.iprules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IpRulesConfigTest {

    private static List<CidrEntry> cidrs(String... s) {
        return java.util.Arrays.stream(s).map(CidrEntry::valueOf).toList();
    }

    @Test
    void defaultsAreTheLuaModules() {
        IpRulesConfig c = IpRulesConfig.defaults();
        assertThat(c.allow()).isEmpty();
        assertThat(c.deny()).isEmpty();
        assertThat(c.trustedProxies()).isEmpty();
        assertThat(c.chainHeader()).isEqualTo("x-forwarded-for");
        assertThat(c.denyInvalidForwarded()).isFalse();
        assertThat(c.clientIpHeader()).isEmpty();
        assertThat(c.status()).isEqualTo(403);
        assertThat(c.message()).isEqualTo("forbidden");
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void emptyHeaderNamesAreDefaults() {
        IpRulesConfig c = new IpRulesConfig(null, null, null, Optional.of(""), Optional.of("stop"), Optional.of(""),
                null, null);
        assertThat(c.chainHeader()).isEqualTo("x-forwarded-for");
        assertThat(c.clientIpHeader()).isEmpty();
    }

    @Test
    void invalidForwardedOnlyDenyDenies() {
        IpRulesConfig c = new IpRulesConfig(null, null, null, Optional.of("X-Real-IP"), Optional.of("Deny"), null,
                null, null);
        assertThat(c.denyInvalidForwarded()).isFalse();
        assertThat(c.chainHeader()).isEqualTo("x-real-ip");
    }

    @Test
    void theChainHeaderIsLookedUpAsGetHeadersDoes() {
        IpRulesConfig c = new IpRulesConfig(null, null, null, Optional.of("X_Real_IP"), null, null, null, null);
        assertThat(c.chainHeader()).isEqualTo("x-real-ip");
        assertThat(c.headerName()).isEqualTo("x_real_ip");
    }

    @Test
    void refusesAStatusOutsideHttp() {
        assertThatThrownBy(() -> new IpRulesConfig(null, null, null, null, null, null, Optional.of(42), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("denyStatus: 42 (expected: an HTTP status, 100..999)");
    }

    @Test
    void unreadableEntriesAreKeptAsProblemsInTheLuaWords() {
        List<CidrEntry> deny = new java.util.ArrayList<>(cidrs("not-a-cidr", "10.0.0.0/33", "192.0.2.0/24"));
        deny.add(null);
        IpRulesConfig c = new IpRulesConfig(Optional.of(cidrs("::/129", "1.2.3.4/x")), deny,
                cidrs("127.0.0.1"), null, null, null, null, null);
        assertThat(c.problems()).containsExactly(
                "ip_rules: allow[1]: ::/129 (expected: an address or CIDR; prefix length over 128), ignored",
                "ip_rules: allow[2]: 1.2.3.4/x (expected: an address or CIDR; bad prefix length), ignored",
                "ip_rules: deny[1]: not-a-cidr (expected: an address or CIDR; bad address), ignored",
                "ip_rules: deny[2]: 10.0.0.0/33 (expected: an address or CIDR; prefix length over 32), ignored",
                "ip_rules: deny[4]: userdata (expected: an address or CIDR; not a string), ignored");
    }

    @Test
    void messageIsHeldAsItsUtf8Bytes() {
        IpRulesConfig c = new IpRulesConfig(null, null, null, null, null, null, null, Optional.of("é"));
        assertThat(c.message()).isEqualTo("\u00c3\u00a9");
    }
}
