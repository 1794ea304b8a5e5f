package dev.graft.bridge.shared;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One key of a {@link SharedDict} as it was at an instant: absent (or expired), a value, or a
 * list. A {@link DictJournal} keeps these as the images before and after a stage; a shadow's
 * dicts are set up from them ({@link SharedDict#install}).
 *
 * <p>Expiry is an absolute time on the dict's clock (epoch millis, 0: never), so an image moved
 * into another dict keeps the same deadline whatever that dict's clock reads.
 */
public sealed interface DictImage {

    /** No live entry: never stored, deleted, or expired. */
    record Absent() implements DictImage {
        @Override
        public String describe() {
            return DELETED;
        }
    }

    /** A value with its user flags. */
    record Value(SharedValue value, int flags, long expiresAtMillis) implements DictImage {
        public Value {
            requireNonNull(value, "value");
        }

        @Override
        public String describe() {
            return text(value) + " flags=" + flags + (expiresAtMillis == 0 ? "" : " expires");
        }
    }

    /** A list (lpush/rpush), head first. */
    record ListOf(List<SharedValue> items, long expiresAtMillis) implements DictImage {
        public ListOf {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            StringBuilder b = new StringBuilder("list[");
            for (int i = 0; i < items.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(text(items.get(i)));
            }
            return b.append(']').append(expiresAtMillis == 0 ? "" : " expires").toString();
        }
    }

    /** What {@link Absent#describe()} says: distinct from a comparison's "no such effect". */
    String DELETED = "<deleted>";

    /** The image of a key without a live entry (described as {@link #DELETED} when it is a change). */
    DictImage ABSENT = new Absent();

    /**
     * The image as an effect value, what a shadow compares: the value as Lua prints it (a
     * string's bytes as ISO-8859-1, a number as {@code tostring} gives it), the flags, and
     * whether the entry expires. Not when it expires: the two sides of a shadow write on
     * clocks a few milliseconds apart (the live dict's and the stage's held time).
     */
    String describe();

    /** The value as Lua's {@code tostring} prints it (LuaJ: integers without a fraction). */
    static String text(SharedValue v) {
        return switch (v) {
            case SharedValue.Text t -> new String(t.bytes(), StandardCharsets.ISO_8859_1);
            case SharedValue.Bool b -> Boolean.toString(b.value());
            case SharedValue.Num n -> number(n.value());
        };
    }

    private static String number(double d) {
        if (d == (long) d && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return Double.toString(d);
    }
}
