package dev.graft.modules.cache;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.regex.PcreRegex;
import java.util.regex.Matcher;

/** A usable rule: how it matches a path, and the Cache-Control it sets. */
public sealed interface CompiledCacheRule {

    /** The Cache-Control value. */
    String value();

    /** Whether it replaces a Cache-Control the response already has. */
    boolean override();

    /** Whether the rule applies to {@code path}. */
    boolean matches(String path);

    /** A plain byte prefix of the path. */
    record Prefix(String prefix, String value, boolean override) implements CompiledCacheRule {
        public Prefix {
            requireNonNull(prefix, "prefix");
            requireNonNull(value, "value");
        }

        @Override
        public boolean matches(String path) {
            return path.startsWith(prefix);
        }
    }

    /**
     * A pattern searched in the path. A pattern that passed the load-time check but does not
     * compile alone never matches: {@code ngx.re.find} returns nil and an error the module ignores.
     */
    record Regex(PcreRegex.Result regex, String value, boolean override) implements CompiledCacheRule {
        public Regex {
            requireNonNull(regex, "regex");
            requireNonNull(value, "value");
        }

        @Override
        public boolean matches(String path) {
            return switch (regex) {
                case PcreRegex.Failed f -> false;
                case PcreRegex.Compiled c -> {
                    Matcher m = c.pattern().matcher(path);
                    yield c.options().anchored() ? m.lookingAt() : m.find();
                }
            };
        }
    }
}
