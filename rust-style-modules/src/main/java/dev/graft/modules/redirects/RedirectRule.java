package dev.graft.modules.redirects;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One entry of {@code rules}, as written in the settings. The fields are JSON values read as the
 * Lua module reads them (it checks each one and skips a broken rule rather than refusing the
 * config), so they are bound loosely: a string, number, boolean, list or object.
 *
 * @param match      "exact" (absent or false), "prefix" or "regex"
 * @param from       the path, prefix or PCRE pattern: a non-empty string
 * @param to         the target: a non-empty string
 * @param status     301 (absent), 302, 303, 307 or 308, as a number or a numeric string
 * @param keepQuery  anything but {@code false} appends the query string
 * @param ignoreCase only {@code true} matches case-insensitively
 */
public record RedirectRule(Optional<Object> match, Optional<Object> from, Optional<Object> to,
        Optional<Object> status, Optional<Object> keepQuery, Optional<Object> ignoreCase) {

    public RedirectRule {
        requireNonNull(match, "match");
        requireNonNull(from, "from");
        requireNonNull(to, "to");
        requireNonNull(status, "status");
        requireNonNull(keepQuery, "keepQuery");
        requireNonNull(ignoreCase, "ignoreCase");
    }

    /** A rule with the other fields at their defaults. */
    public static RedirectRule of(String match, String from, String to, int status) {
        return new RedirectRule(Optional.of(match), Optional.of(from), Optional.of(to), Optional.of(status),
                Optional.empty(), Optional.empty());
    }

    public RedirectRule withKeepQuery(boolean keep) {
        return new RedirectRule(match, from, to, status, Optional.of(keep), ignoreCase);
    }

    public RedirectRule withIgnoreCase(boolean ignore) {
        return new RedirectRule(match, from, to, status, keepQuery, Optional.of(ignore));
    }
}
