package dev.graft.modules.iprules;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * A CIDR network with its host bits cleared, as {@code addr.parse_cidr} builds it: 4 or 16
 * bytes and a prefix length. An IPv4-mapped IPv6 network with a prefix of 96 or more is the
 * IPv4 network it maps, so it matches IPv4 (and IPv4-mapped) clients.
 *
 * @param text the entry as configured, for log lines
 */
public record Network(String text, int[] bytes, int prefix) {

    public Network {
        requireNonNull(text, "text");
        bytes = bytes.clone();
    }

    /** How a configured entry was read. */
    public sealed interface Parsed {}

    /** A usable network. */
    public record Readable(Network network) implements Parsed {}

    /** An entry {@code parse_cidr} refuses, with its reason ("bad address", ...). */
    public record Unreadable(String why) implements Parsed {}

    /** {@code addr.parse_cidr}: a network, or why not. A bare address is a host route. */
    public static Parsed parse(String s) {
        int slash = s.indexOf('/');
        String text = slash >= 0 ? s.substring(0, slash) : s;
        int prefix = -1;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> IpAddress.isDigit((char) c))) {
                return new Unreadable("bad prefix length");
            }
            prefix = Integer.parseInt(p);
        }
        int[] bytes;
        if (text.indexOf(':') >= 0) {
            bytes = IpAddress.parseV6(text);
            if (bytes == null) {
                return new Unreadable("bad address");
            }
            prefix = prefix < 0 ? 128 : prefix;
            if (prefix > 128) {
                return new Unreadable("prefix length over 128");
            }
            if (IpAddress.isV4Mapped(bytes) && prefix >= 96) {
                bytes = Arrays.copyOfRange(bytes, 12, 16);
                prefix -= 96;
            }
        } else {
            bytes = IpAddress.parseV4(text);
            if (bytes == null) {
                return new Unreadable("bad address");
            }
            prefix = prefix < 0 ? 32 : prefix;
            if (prefix > 32) {
                return new Unreadable("prefix length over 32");
            }
        }
        int full = prefix / 8;
        int rem = prefix % 8;
        for (int i = full; i < bytes.length; i++) {
            bytes[i] = (i == full && rem > 0) ? bytes[i] & mask(rem) : 0;
        }
        return new Readable(new Network(s, bytes, prefix));
    }

    private static int mask(int bits) {
        return (0xff << (8 - bits)) & 0xff;
    }

    /** Whether {@code address} is in this network; IPv4 networks never hold IPv6 addresses and back. */
    public boolean contains(IpAddress address) {
        int[] b = address.bytes();
        if (b.length != bytes.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (b[i] != bytes[i]) {
                return false;
            }
        }
        int rem = prefix % 8;
        return rem == 0 || (b[full] & mask(rem)) == bytes[full];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Network n && n.prefix == prefix && Arrays.equals(n.bytes, bytes) && n.text.equals(text);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + prefix;
    }

    @Override
    public String toString() {
        return "Network[" + text + "]";
    }
}
