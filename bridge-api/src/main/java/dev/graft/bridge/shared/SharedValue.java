package dev.graft.bridge.shared;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A value stored in a {@link SharedDict}: what {@code ngx.shared.DICT:set} accepts
 * (a byte string, a number or a boolean). Lists hold only text and numbers.
 */
public sealed interface SharedValue {

    /** Bytes the dict charges for this value, used for its capacity accounting. */
    int size();

    /** A byte string. Lua strings are bytes; Java callers get UTF-8 through {@link #of(String)}. */
    record Text(byte[] bytes) implements SharedValue {
        public Text {
            requireNonNull(bytes, "bytes");
        }

        /** The bytes decoded as UTF-8. */
        public String asString() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public int size() {
            return bytes.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Text t && Arrays.equals(bytes, t.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Text[" + asString() + "]";
        }
    }

    /** A number; nginx stores every number as a double. */
    record Num(double value) implements SharedValue {
        @Override
        public int size() {
            return Double.BYTES;
        }
    }

    /** A boolean. */
    record Bool(boolean value) implements SharedValue {
        @Override
        public int size() {
            return 1;
        }
    }

    static SharedValue of(String text) {
        return new Text(text.getBytes(StandardCharsets.UTF_8));
    }

    static SharedValue of(double number) {
        return new Num(number);
    }

    static SharedValue of(boolean flag) {
        return new Bool(flag);
    }
}
