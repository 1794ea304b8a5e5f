package dev.graft.modules.redirects;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * redirects' settings: {@code {"rules": [...]}}, bound from the JSON the Lua handler gets.
 *
 * <p>The Lua module never refuses its settings: a broken rule is logged at ERR once and skipped.
 * So does this record: {@link #plan()} is derived here, once, from {@code rules} (the host binds
 * only {@code rules}; a {@code plan} passed in is ignored), and its messages are logged by the
 * first request.
 *
 * @param rules the rules, tried in order (absent: none)
 * @param plan  derived: the usable rules, compiled, and the messages for the skipped ones
 */
public record RedirectsConfig(Optional<List<RedirectRule>> rules, RedirectPlan plan) {

    public RedirectsConfig {
        requireNonNull(rules, "rules");
        rules = rules.map(List::copyOf);
        plan = RedirectPlan.compile(rules.orElse(List.of()));
    }

    public RedirectsConfig(Optional<List<RedirectRule>> rules) {
        this(rules, null);
    }

    public static RedirectsConfig of(RedirectRule... rules) {
        return new RedirectsConfig(Optional.of(List.of(rules)));
    }
}
