package dev.graft.bridge;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a Java stage's phase ended. The host handles every variant with an exhaustive switch.
 *
 * <ul>
 *   <li>{@link Continue}: the next stage runs, then the next phase.</li>
 *   <li>{@link Exit}: the request ends with this response, as {@code ngx.exit} or
 *       {@code ngx.redirect} would; the response phases (header_filter, body_filter, log) still
 *       run. Meaningful in rewrite, access and content; in header_filter a status-only exit acts
 *       as {@code ngx.exit} there (a status of 300 or more replaces the response with the page);
 *       elsewhere the host treats it as a bug and runs the Lua handler instead.</li>
 *   <li>{@link Fallback}: this stage cannot handle this request; the host runs the stage's Lua
 *       handler instead, for this request and this phase, and counts the reason.</li>
 * </ul>
 */
public sealed interface Outcome {

    /** Go on with the next stage. */
    record Continue() implements Outcome {}

    /**
     * End the request with this response.
     *
     * @param status  the response status
     * @param headers response headers to set, in order; a name may repeat
     * @param body    the body; empty means the host's default page for the status, exactly as
     *                a Lua {@code ngx.exit(status)} without output produces it
     */
    record Exit(int status, List<Map.Entry<String, String>> headers, Optional<byte[]> body) implements Outcome {
        public Exit {
            if (status < 100 || status > 999) {
                throw new IllegalArgumentException("status: " + status + " (expected: 100..999)");
            }
            headers = List.copyOf(requireNonNull(headers, "headers"));
            requireNonNull(body, "body");
        }
    }

    /**
     * Let the Lua handler serve this stage for this request.
     *
     * @param reason a short, low-cardinality reason (it becomes a metric label)
     */
    record Fallback(String reason) implements Outcome {
        public Fallback {
            requireNonNull(reason, "reason");
        }
    }

    Outcome CONTINUE = new Continue();

    /** The next stage runs. */
    static Outcome proceed() {
        return CONTINUE;
    }

    /** Ends the request with the host's default page for {@code status}. */
    static Outcome exit(int status) {
        return new Exit(status, List.of(), Optional.empty());
    }

    /** Ends the request with {@code status}, these headers and this body. */
    static Outcome exit(int status, List<Map.Entry<String, String>> headers, byte[] body) {
        return new Exit(status, headers, Optional.of(body));
    }

    /** Hands this request's stage to the Lua handler. */
    static Outcome fallback(String reason) {
        return new Fallback(reason);
    }
}
