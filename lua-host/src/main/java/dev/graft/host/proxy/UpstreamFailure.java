package dev.graft.host.proxy;

/**
 * Why an upstream request failed, with the status the client gets when its response has not
 * started and the kind reported to {@code GraftMetrics.upstreamFailure}.
 */
enum UpstreamFailure {
    REFUSED(502, "refused"),
    CONNECT(502, "connect"),
    CONNECT_TIMEOUT(504, "timeout"),
    READ_TIMEOUT(504, "timeout"),
    RESET(502, "reset"),
    BAD_RESPONSE(502, "reset");

    private final int status;
    private final String kind;

    UpstreamFailure(int status, String kind) {
        this.status = status;
        this.kind = kind;
    }

    int status() {
        return status;
    }

    String kind() {
        return kind;
    }
}
