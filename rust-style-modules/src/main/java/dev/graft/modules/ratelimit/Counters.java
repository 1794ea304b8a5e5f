package dev.graft.modules.ratelimit;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.StageExchange.LogLevel;
import dev.graft.bridge.shared.DictItem;
import dev.graft.bridge.shared.DictResult;
import dev.graft.bridge.shared.SharedDict;
import dev.graft.bridge.shared.SharedValue;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The counting of ratelimit/handler.lua's {@code count()}: the same keys, TTLs and
 * {@code incr(key, 1, 0, ttl)} calls on the shared dict, and the sliding estimate in the same
 * double arithmetic, so a counter carries over when the module changes side mid-window.
 */
final class Counters {

    /** The result for one rule: allowed or not, the quota left and seconds to the window's end. */
    record Count(boolean allowed, long remaining, long reset) {}

    private final SharedDict dict;
    private final BiConsumer<LogLevel, String> log;

    Counters(SharedDict dict, BiConsumer<LogLevel, String> log) {
        this.dict = requireNonNull(dict, "dict");
        this.log = requireNonNull(log, "log");
    }

    /** Counts one request at epoch second {@code now} under {@code base} (ends with ':'). */
    Count count(byte[] base, RateLimitRule rule, long now) {
        long window = rule.window();
        long start = now - Math.floorMod(now, window);
        long reset = start + window - now;
        byte[] curKey = withStart(base, start);

        if (rule.algorithm() == RateLimitRule.Algorithm.FIXED) {
            DictResult<Double> r = dict.incr(curKey, 1, Optional.of(0.0), window * 1000);
            return switch (r) {
                case DictResult.Failed<Double> f -> {
                    log.accept(LogLevel.ERR, "ratelimit: shared dict incr failed: " + f.error().message()
                            + ", request allowed");
                    yield new Count(true, rule.limit(), reset);
                }
                case DictResult.Ok<Double> ok -> {
                    double remaining = rule.limit() - ok.value();
                    yield remaining < 0 ? new Count(false, 0, reset) : new Count(true, (long) remaining, reset);
                }
            };
        }

        // sliding: estimate * window = prev * (window - elapsed) + (cur + 1) * window, in doubles as in Lua
        double w = window;
        double elapsed = now - start;
        double prev = number(withStart(base, start - window));
        double cur = number(curKey);
        double scaled = prev * (w - elapsed) + (cur + 1) * w;
        double budget = (double) rule.limit() * w;
        if (scaled > budget) {
            return new Count(false, 0, reset);
        }
        // the counter lives two windows: it is the "previous" one during the next
        DictResult<Double> r = dict.incr(curKey, 1, Optional.of(0.0), 2 * window * 1000);
        if (r instanceof DictResult.Failed<Double> f) {
            log.accept(LogLevel.ERR, "ratelimit: shared dict incr failed: " + f.error().message());
        }
        return new Count(true, (long) Math.floor((budget - scaled) / w), reset);
    }

    /** {@code dict:get(key) or 0}; a value that is not a number is a bug Lua fails on too. */
    private double number(byte[] key) {
        DictResult<Optional<DictItem>> r = dict.get(key);
        return switch (r) {
            case DictResult.Failed<Optional<DictItem>> f -> 0; // get returns nil, err
            case DictResult.Ok<Optional<DictItem>> ok -> {
                if (ok.value().isEmpty()) {
                    yield 0;
                }
                SharedValue v = ok.value().get().value();
                if (v instanceof SharedValue.Num n) {
                    yield n.value();
                }
                throw new IllegalStateException("ratelimit counter " + new String(key, StandardCharsets.ISO_8859_1)
                        + ": " + v + " (expected: a number)");
            }
        };
    }

    /** {@code base .. tostring(start)}: epoch seconds print as integers. */
    private static byte[] withStart(byte[] base, long start) {
        return RuleKeys.concat(base, Long.toString(start).getBytes(StandardCharsets.US_ASCII));
    }
}
