package dev.graft.bridge;

/**
 * One chunk of the response body in the body filter, as {@code ngx.arg[1]} and
 * {@code ngx.arg[2]} are in Lua.
 */
public interface BodyChunk {

    /** The chunk's bytes (do not modify the array; use {@link #replace}). */
    byte[] bytes();

    /** Whether this is the last chunk ({@code ngx.arg[2]}). */
    boolean last();

    /** Sends {@code bytes} instead of this chunk. */
    void replace(byte[] bytes);

    /** Makes this chunk the last one: nothing after it is sent. */
    void markLast();
}
