package dev.graft.modules.ratelimit;

import dev.graft.bridge.CtxKeys;
import dev.graft.bridge.StageExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Counter keys, byte for byte as the Lua module builds them:
 * {@code <customer>:<rule name>:<c=address | p=prefix | h=value>:<window start>}. The customer
 * and rule names are text (UTF-8 bytes, as Lua holds them); the path, prefixes and header values
 * are byte strings already (one char per byte).
 */
final class RuleKeys {

    /** Longer header values are replaced by their MD5 (hex). */
    static final int MAX_KEY_VALUE = 64;

    private RuleKeys() {}

    /** The part after the rule name, or empty when the rule does not apply to {@code uri}. */
    static Optional<byte[]> key(RateLimitRule rule, String uri, StageExchange exchange) {
        if (rule.prefix().isPresent() && !uri.startsWith(rule.prefix().get())) {
            return Optional.empty();
        }
        return Optional.of(switch (rule.key()) {
            case RateLimitRule.Key.Client c -> client(exchange);
            case RateLimitRule.Key.PathPrefix pp -> latin1("p=" + rule.prefix().orElseGet(() -> firstSegment(uri)));
            case RateLimitRule.Key.Header h -> {
                Optional<String> v = exchange.request().headers().first(h.name());
                if (v.isEmpty() || v.get().isEmpty()) {
                    // without the header the caller is limited by address: omitting it is no way out
                    yield client(exchange);
                }
                byte[] value = latin1(v.get());
                if (value.length > MAX_KEY_VALUE) {
                    value = md5Hex(value);
                }
                yield concat(new byte[] {'h', '='}, value);
            }
        });
    }

    /** {@code <customer>:<rule name>:<key>:}, to which the window start is appended. */
    static byte[] base(String customer, RateLimitRule rule, byte[] key) {
        byte[] c = utf8(customer);
        byte[] r = utf8(rule.name());
        byte[] out = new byte[c.length + r.length + key.length + 3];
        System.arraycopy(c, 0, out, 0, c.length);
        out[c.length] = ':';
        System.arraycopy(r, 0, out, c.length + 1, r.length);
        out[c.length + 1 + r.length] = ':';
        System.arraycopy(key, 0, out, c.length + r.length + 2, key.length);
        out[out.length - 1] = ':';
        return out;
    }

    /** ip_rules' resolved address when it published one, else {@code $remote_addr}. */
    static String clientAddress(StageExchange exchange) {
        Optional<String> ip = exchange.get(CtxKeys.CLIENT_IP);
        if (ip.isPresent() && !ip.get().isEmpty()) {
            return ip.get();
        }
        String remote = exchange.remoteAddress();
        return remote.isEmpty() ? "-" : remote;
    }

    private static byte[] client(StageExchange exchange) {
        return utf8("c=" + clientAddress(exchange));
    }

    /** {@code string.match(uri, "^/[^/]*") or "/"}. */
    static String firstSegment(String uri) {
        if (!uri.startsWith("/")) {
            return "/";
        }
        int slash = uri.indexOf('/', 1);
        return slash < 0 ? uri : uri.substring(0, slash);
    }

    private static byte[] md5Hex(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(value))
                    .getBytes(StandardCharsets.US_ASCII);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks MD5", e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
