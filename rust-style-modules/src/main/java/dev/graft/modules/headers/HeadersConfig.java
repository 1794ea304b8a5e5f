package dev.graft.modules.headers;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * headers' settings, bound from the JSON the Lua handler gets. The Lua module never refuses its
 * settings: a value of the wrong shape is logged at ERR once and ignored, the rest applies. So
 * the fields are JSON values read as Lua reads them, and {@link #plan()} is derived here, once
 * (the host binds only the other fields; a {@code plan} passed in is ignored).
 *
 * @param request             request header edits, applied in rewrite
 * @param response            response header edits, applied in the header filter
 * @param hsts                {@code true} or an object {@code {max_age, include_subdomains, preload}}
 * @param nosniff             truthy: {@code X-Content-Type-Options: nosniff}
 * @param frameOptions        "DENY" or "SAMEORIGIN"
 * @param csp                 Content-Security-Policy, as given
 * @param referrerPolicy      Referrer-Policy, as given
 * @param removeServerHeaders anything but {@code false}: drop Server and X-Powered-By
 * @param plan                derived: the compiled edits and the messages for what was ignored
 */
public record HeadersConfig(Optional<HeaderEdits> request, Optional<HeaderEdits> response, Optional<Object> hsts,
        Optional<Object> nosniff, Optional<Object> frameOptions, Optional<Object> csp, Optional<Object> referrerPolicy,
        Optional<Object> removeServerHeaders, HeadersPlan plan) {

    public HeadersConfig {
        requireNonNull(request, "request");
        requireNonNull(response, "response");
        requireNonNull(hsts, "hsts");
        requireNonNull(nosniff, "nosniff");
        requireNonNull(frameOptions, "frameOptions");
        requireNonNull(csp, "csp");
        requireNonNull(referrerPolicy, "referrerPolicy");
        requireNonNull(removeServerHeaders, "removeServerHeaders");
        plan = HeadersPlan.compile(request.orElse(HeaderEdits.none()), response.orElse(HeaderEdits.none()), hsts,
                nosniff, frameOptions, csp, referrerPolicy, removeServerHeaders);
    }

    public HeadersConfig(Optional<HeaderEdits> request, Optional<HeaderEdits> response, Optional<Object> hsts,
            Optional<Object> nosniff, Optional<Object> frameOptions, Optional<Object> csp,
            Optional<Object> referrerPolicy, Optional<Object> removeServerHeaders) {
        this(request, response, hsts, nosniff, frameOptions, csp, referrerPolicy, removeServerHeaders, null);
    }

    /** The settings of {@code "headers": {}}. */
    public static HeadersConfig empty() {
        return new HeadersConfig(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
