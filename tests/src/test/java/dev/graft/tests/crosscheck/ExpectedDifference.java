package dev.graft.tests.crosscheck;

import static java.util.Objects.requireNonNull;

/** Something that may differ between nginx and Graft, and why that is right. */
public sealed interface ExpectedDifference {

    String reason();

    /** A header (lower-case name) left out of the comparison, in responses and at the echo origin. */
    record Header(String name, String reason) implements ExpectedDifference {
        public Header {
            requireNonNull(name, "name");
            requireNonNull(reason, "reason");
        }
    }

    /** Request ids ($request_id: 32 lower-case hex digits) inside bodies are masked before comparing. */
    record RequestIdInBody(String reason) implements ExpectedDifference {
        public RequestIdInBody {
            requireNonNull(reason, "reason");
        }
    }

    /** How the report names it. */
    default String what() {
        return switch (this) {
            case Header h -> "header " + h.name();
            case RequestIdInBody r -> "request ids in bodies";
        };
    }
}
