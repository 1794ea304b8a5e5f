package dev.graft.bridge;

import static java.util.Objects.requireNonNull;

/**
 * A declared entry of the request context that stages hand to each other ({@code ngx.ctx.NAME}
 * in Lua). The key's {@link CtxType} is its one Lua/Java conversion, so both sides agree on
 * what nil, integers, byte strings and tables become.
 *
 * @param name the field name in {@code ngx.ctx}
 * @param type the value's type and conversion
 * @param <T>  the Java type of the value
 */
public record CtxKey<T>(String name, CtxType<T> type) {
    public CtxKey {
        requireNonNull(name, "name");
        requireNonNull(type, "type");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name: \"\" (expected: a non-empty ngx.ctx field name)");
        }
    }

    public static <T> CtxKey<T> of(String name, CtxType<T> type) {
        return new CtxKey<>(name, type);
    }
}
