package dev.graft.host.parity;

import java.time.Instant;
import java.time.InstantSource;

/**
 * The clock both sides of a comparison read: it stands still at the instant the harness sets,
 * so that {@code ngx.now()} and {@code StageExchange.clock()} agree to the millisecond.
 */
final class ParityClock implements InstantSource {

    private long millis;

    ParityClock(long millis) {
        this.millis = millis;
    }

    void set(long epochMillis) {
        this.millis = epochMillis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public long millis() {
        return millis;
    }
}
