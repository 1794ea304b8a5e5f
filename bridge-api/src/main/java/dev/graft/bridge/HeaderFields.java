package dev.graft.bridge;

import java.util.List;
import java.util.Optional;

/**
 * A live, case-insensitive view of request or response header fields. Reads and writes go to
 * the exchange itself: Lua's {@code ngx.req.get_headers()}/{@code ngx.header} see the same
 * fields.
 */
public interface HeaderFields {

    /** The first value of {@code name}. */
    Optional<String> first(String name);

    /** Every value of {@code name}, in order; empty when absent. */
    List<String> all(String name);

    /** Whether {@code name} is present. */
    boolean contains(String name);

    /** Replaces every value of {@code name} with {@code value}. */
    void set(String name, String value);

    /** Adds a value to {@code name}, after the existing ones. */
    void add(String name, String value);

    /** Removes every value of {@code name}. */
    void remove(String name);

    /** The field names present, lower-cased, in first-seen order. */
    List<String> names();

    /**
     * How many values {@code name} has (0 when absent): {@code all(name).size()} without building
     * the list. Hosts override it with a lookup that allocates nothing.
     */
    default int count(String name) {
        return all(name).size();
    }

    /**
     * How many header lines there are, every value of every name counted (what
     * {@code ngx.req.get_headers()}'s 100-line window is measured in). Hosts override it with
     * their own count.
     */
    default int size() {
        int n = 0;
        for (String name : names()) {
            n += all(name).size();
        }
        return n;
    }
}
