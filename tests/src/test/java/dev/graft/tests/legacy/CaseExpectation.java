package dev.graft.tests.legacy;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A step's {@code expect}: each part is checked only when the case gives it.
 *
 * @param status       the status
 * @param headers      response headers by name (case-insensitive)
 * @param body         the exact body text
 * @param bodyContains parts the body must contain
 * @param origin       what the echo origin must have received: {@code headers} a subset
 *                     (lower-case names, null = absent), every other key exact
 */
public record CaseExpectation(
        OptionalInt status,
        Map<String, HeaderExpectation> headers,
        Optional<String> body,
        List<String> bodyContains,
        Optional<ObjectNode> origin) {
    public CaseExpectation {
        requireNonNull(status, "status");
        headers = Map.copyOf(headers);
        requireNonNull(body, "body");
        bodyContains = List.copyOf(bodyContains);
        requireNonNull(origin, "origin");
    }
}
