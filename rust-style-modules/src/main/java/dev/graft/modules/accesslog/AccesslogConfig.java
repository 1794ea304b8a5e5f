package dev.graft.modules.accesslog;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * accesslog's settings, bound from the JSON the Lua handler gets. The Lua module never refuses
 * them: a bad value is logged at ERR once and its default used. So the fields are JSON values
 * read as Lua reads them, and {@link #plan()} is derived here, once (the host binds only the
 * other fields; a {@code plan} passed in is ignored).
 *
 * @param level          "notice" (default), "info", "warn" or "err", any case
 * @param requestHeaders request header names to copy into "headers"
 * @param excludePaths   path prefixes not logged
 * @param maxValueLength an integer >= 16 (default 256): longer strings are cut and end in "..."
 * @param plan           derived: the compiled settings
 */
public record AccesslogConfig(Optional<Object> level, Optional<Object> requestHeaders, Optional<Object> excludePaths,
        Optional<Object> maxValueLength, AccesslogPlan plan) {

    public AccesslogConfig {
        requireNonNull(level, "level");
        requireNonNull(requestHeaders, "requestHeaders");
        requireNonNull(excludePaths, "excludePaths");
        requireNonNull(maxValueLength, "maxValueLength");
        plan = AccesslogPlan.compile(level, requestHeaders, excludePaths, maxValueLength);
    }

    public AccesslogConfig(Optional<Object> level, Optional<Object> requestHeaders, Optional<Object> excludePaths,
            Optional<Object> maxValueLength) {
        this(level, requestHeaders, excludePaths, maxValueLength, null);
    }

    /** The settings of {@code "accesslog": {}}. */
    public static AccesslogConfig defaults() {
        return new AccesslogConfig(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
