package dev.graft.tests.legacy;

import static java.util.Objects.requireNonNull;

/** One request of a case and what its response must be. */
public record CaseStep(CaseRequest request, CaseExpectation expect) {
    public CaseStep {
        requireNonNull(request, "request");
        requireNonNull(expect, "expect");
    }
}
