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

    /**
     * A header whose integer value counts seconds on the clock (time left in a window): nginx
     * and Graft answer a few milliseconds apart, so it may differ by one second.
     */
    record SecondsOnTheClock(String name, String reason) implements ExpectedDifference {
        public SecondsOnTheClock {
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

    /** The server's name in the signature line of error pages ({@code <hr><center>NAME</center>}) is masked. */
    record ServerNameInErrorPages(String reason) implements ExpectedDifference {
        public ServerNameInErrorPages {
            requireNonNull(reason, "reason");
        }
    }

    /** How the report names it. */
    default String what() {
        return switch (this) {
            case Header h -> "header " + h.name();
            case SecondsOnTheClock c -> "header " + c.name() + " by one second";
            case RequestIdInBody r -> "request ids in bodies";
            case ServerNameInErrorPages p -> "the server name in error pages";
        };
    }
}
