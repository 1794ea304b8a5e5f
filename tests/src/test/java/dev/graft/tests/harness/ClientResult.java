package dev.graft.tests.harness;

/** What sending a request gave: a response, or why there was none. */
public sealed interface ClientResult {

    /** The server answered. */
    record Answered(RawResponse response) implements ClientResult {}

    /** No (complete) response: refused, reset, timed out or malformed. */
    record NoAnswer(String reason) implements ClientResult {}
}
