package dev.graft.tests.legacy;

import java.util.List;

/** What a case expects of one response header. */
public sealed interface HeaderExpectation {

    /** {@code null} in the case: the header must be absent. */
    record Absent() implements HeaderExpectation {}

    /** A string: the single value, or a repeated header's values joined by ", ". */
    record Value(String value) implements HeaderExpectation {}

    /** A list: every value, in order. */
    record Values(List<String> values) implements HeaderExpectation {
        public Values {
            values = List.copyOf(values);
        }
    }
}
