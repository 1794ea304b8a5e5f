package dev.graft.modules.redirects;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.regex.PcreRegex;
import java.util.Optional;

/**
 * A rule that passed the Lua module's checks, ready to match.
 *
 * @param kind       how {@code from} is compared with the path
 * @param from       the path or prefix (ASCII lower-cased when ignoring case), or the pattern text
 * @param to         the target as written
 * @param status     the redirect status
 * @param keepQuery  whether the query string is appended
 * @param ignoreCase whether the comparison ignores ASCII case
 * @param regex      for a regex rule, the pattern compiled with "jo" or "joi": Compiled, or Failed
 *                   (a pattern that passed the load-time check but does not compile alone is
 *                   logged on every request, as {@code ngx.re.match} returns its error each time)
 */
public record CompiledRule(Kind kind, String from, String to, int status, boolean keepQuery, boolean ignoreCase,
        Optional<PcreRegex.Result> regex) {

    /** The {@code match} field. */
    public enum Kind { EXACT, PREFIX, REGEX }

    public CompiledRule {
        requireNonNull(kind, "kind");
        requireNonNull(from, "from");
        requireNonNull(to, "to");
        requireNonNull(regex, "regex");
    }
}
