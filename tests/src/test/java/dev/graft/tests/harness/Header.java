package dev.graft.tests.harness;

import static java.util.Objects.requireNonNull;

/** One header field as sent or received: name as written, value as written. */
public record Header(String name, String value) {
    public Header {
        requireNonNull(name, "name");
        requireNonNull(value, "value");
    }
}
