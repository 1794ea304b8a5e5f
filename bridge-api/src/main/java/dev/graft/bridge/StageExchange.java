package dev.graft.bridge;

import dev.graft.bridge.shared.SharedDict;
import java.time.Clock;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * What a Java stage gets in each phase: typed views over the one exchange that Lua's
 * {@code ngx} API reads too. Time, randomness and the client address come from here, never from
 * globals, so a parity harness can fix them for both sides.
 */
public interface StageExchange {

    /** The request id ({@code $request_id}): 32 lower-case hex digits. */
    String requestId();

    /** The customer the request belongs to. */
    String customer();

    /** The client's address as text ({@code $remote_addr}). */
    String remoteAddress();

    RequestView request();

    ResponseView response();

    /** The upstream chosen so far ({@code $graft_upstream}). */
    String upstream();

    /** Chooses the upstream, by name. */
    void upstream(String name);

    /** A variable ({@code ngx.var.NAME}): built-in or set by a stage. */
    Optional<String> variable(String name);

    /** Sets a custom variable ({@code ngx.var.NAME = value}). */
    void variable(String name, String value);

    /** A value that an earlier stage put in the request context ({@code ngx.ctx}). */
    <T> Optional<T> get(CtxKey<T> key);

    /** Puts a value in the request context, where Lua stages read it as {@code ngx.ctx[key.name()]}. */
    <T> void put(CtxKey<T> key, T value);

    /** Removes a value from the request context. */
    void remove(CtxKey<?> key);

    /** A shared dict ({@code ngx.shared.NAME}), the same object Lua stages use. */
    Optional<SharedDict> shared(String name);

    /** The clock of this request ({@code ngx.now()}, {@code ngx.time()}). */
    Clock clock();

    /** Randomness for this request. */
    RandomGenerator random();

    /**
     * Writes a log line for this request, like {@code ngx.log(level, message)}.
     *
     * <p>{@code message} is a Lua byte string in Java form: one char per byte (0x00-0xFF), the
     * form request text ({@link RequestView}, headers, variables) already has, so request bytes
     * are concatenated in as they are. The host reads those bytes exactly as {@code ngx.log}
     * reads a Lua string, so a port logs the line its Lua module would. Java text from a
     * {@code CtxType.TEXT} key, {@link #customer()} or settings must first be turned into its
     * UTF-8 bytes, one char per byte (rust-style-modules' {@code LuaText.bytes}); passed as it
     * is, a non-ASCII char would be misread.
     */
    void log(LogLevel level, String message);

    /**
     * Whether a {@link #log} line of {@code level} would be written anywhere. A stage may skip
     * building a costly line (an access log record) when it would be dropped; the line itself is
     * unchanged when it is written. By default every level is written.
     */
    default boolean logs(LogLevel level) {
        return true;
    }

    /** {@code ngx.log}'s levels. */
    enum LogLevel { STDERR, EMERG, ALERT, CRIT, ERR, WARN, NOTICE, INFO, DEBUG }
}
