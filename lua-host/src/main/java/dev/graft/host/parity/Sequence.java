package dev.graft.host.parity;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Requests that run in order on fresh shared state (a case's steps, a generated burst, one
 * recorded request): shared dicts are emptied on both sides before the first one.
 *
 * @param source   where the requests come from, as the report names it
 * @param kind     which corpus they belong to
 * @param requests the requests in order
 */
record Sequence(String source, Kind kind, List<ParityRequest> requests) {

    enum Kind { CASE, GENERATED, RECORDED }

    Sequence {
        requireNonNull(source, "source");
        requireNonNull(kind, "kind");
        requests = List.copyOf(requireNonNull(requests, "requests"));
    }
}
