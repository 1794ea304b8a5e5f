package dev.graft.host.bridge;

import dev.graft.host.config.Rollout;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.lua.ngx.NginxVariables;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Which side serves a canary module for one request: Java when CRC32 of the key's UTF-8 bytes
 * mod 100 is below the percent, so one key (client address without port, customer, header or
 * cookie value; absent = "") always gets the same side while the percent stays. The choice is
 * kept on the exchange (an upper-case variable, invisible to ngx.var) so that every phase of
 * the request uses it, even if a stage rewrites the header the key reads.
 */
final class CanaryChoice {

    private static final String JAVA = "J";
    private static final String LUA = "L";

    private CanaryChoice() {}

    static boolean java(Rollout.Mode.Canary canary, String module, Exchange ex, String customer) {
        String mark = "GRAFT_CANARY_" + module;
        String kept = ex.variables().get(mark);
        if (kept != null) {
            return kept.equals(JAVA);
        }
        boolean java = bucket(key(canary.key(), ex, customer)) < canary.percent();
        ex.variables().put(mark, java ? JAVA : LUA);
        return java;
    }

    /** The bucket 0..99 of a key. */
    static int bucket(String key) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % 100);
    }

    static String key(Rollout.CanaryKey key, Exchange ex, String customer) {
        return switch (key) {
            case Rollout.CanaryKey.Client c -> ex.remote() == null || ex.remote().getAddress() == null ? ""
                    : ex.remote().getAddress().getHostAddress();
            case Rollout.CanaryKey.Customer c -> customer;
            case Rollout.CanaryKey.Header h -> {
                String v = ex.requestHeaders().get(h.name());
                yield v == null ? "" : v;
            }
            case Rollout.CanaryKey.Cookie c -> NginxVariables.cookie(ex, c.name()).orElse("");
        };
    }
}
