package dev.graft.bridge.shared;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of a {@link SharedDict} write: a value or an error, plus {@code forcible},
 * true when other entries were evicted to make room (OpenResty's third return value).
 */
public sealed interface DictResult<T> {

    boolean forcible();

    record Ok<T>(T value, boolean forcible) implements DictResult<T> {
        public Ok {
            requireNonNull(value, "value");
        }
    }

    record Failed<T>(DictError error, boolean forcible) implements DictResult<T> {
        public Failed {
            requireNonNull(error, "error");
        }
    }

    default boolean ok() {
        return this instanceof Ok<T>;
    }

    /** The same outcome carrying {@code value} instead when it succeeded. */
    default <U> DictResult<U> map(U value) {
        return switch (this) {
            case Ok<T> ok -> new Ok<>(value, ok.forcible());
            case Failed<T> f -> new Failed<>(f.error(), f.forcible());
        };
    }
}
