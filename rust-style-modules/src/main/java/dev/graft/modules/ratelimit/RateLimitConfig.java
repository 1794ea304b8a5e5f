package dev.graft.modules.ratelimit;

import dev.graft.modules.lua.LuaValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A customer's {@code ratelimit} settings, bound from the same JSON the Lua handler gets as
 * {@code conf} (legacy-scripts/ratelimit/README.md).
 *
 * <p>The Lua module refuses nothing at load: a rule or a status it cannot use is logged and
 * ignored (or defaulted). To accept exactly the configs Lua accepts, the JSON fields are kept
 * as the binder decoded them (String, Number, Boolean, List, Map; null when absent) and
 * checked here with the Lua module's own type tests; {@link #policy()} is derived from them
 * once, in the compact constructor (any value passed for it is ignored).
 *
 * @param rules   the list of rules (required)
 * @param status  status of a refusal, 400..599, default 429
 * @param message body of a refusal, default {@code Too Many Requests}
 * @param headers RateLimit headers on allowed responses too, default true
 * @param policy  derived: the validated rules and settings
 */
public record RateLimitConfig(Object rules, Object status, Object message, Object headers, Policy policy) {

    static final int DEFAULT_STATUS = 429;

    public RateLimitConfig {
        policy = Policy.of(rules, status, message, headers);
    }

    /** The settings from JSON values; {@code null} is absent. */
    public static RateLimitConfig of(Object rules, Object status, Object message, Object headers) {
        return new RateLimitConfig(rules, status, message, headers, null);
    }

    /** Equal when the settings are: the derived policy follows from them. */
    @Override
    public boolean equals(Object o) {
        return o instanceof RateLimitConfig c && Objects.equals(rules, c.rules)
                && Objects.equals(status, c.status) && Objects.equals(message, c.message)
                && Objects.equals(headers, c.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rules, status, message, headers);
    }

    /**
     * The validated settings: what ratelimit/handler.lua's {@code prepare(conf)} builds, and
     * the error lines it logs while building it (logged once, on first use).
     */
    public static final class Policy {
        private final List<RateLimitRule> rules;
        private final int status;
        private final String message;
        private final boolean headers;
        private final List<String> problems;
        private final boolean hasHeaderRule;
        private final AtomicBoolean problemsLogged = new AtomicBoolean();

        private Policy(List<RateLimitRule> rules, int status, String message, boolean headers, List<String> problems) {
            this.rules = List.copyOf(rules);
            this.status = status;
            this.message = message;
            this.headers = headers;
            this.problems = List.copyOf(problems);
            this.hasHeaderRule = rules.stream().anyMatch(r -> r.key() instanceof RateLimitRule.Key.Header);
        }

        static Policy of(Object rulesValue, Object statusValue, Object messageValue, Object headersValue) {
            List<String> problems = new ArrayList<>();
            List<RateLimitRule> rules = new ArrayList<>();
            if (rulesValue instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    switch (RateLimitRule.parse(list.get(i), i + 1)) {
                        case RateLimitRule.Valid v -> rules.add(v.rule());
                        case RateLimitRule.Invalid bad -> problems.add("ratelimit: " + bad.why() + ", rule ignored");
                    }
                }
            } else if (!(rulesValue instanceof Map<?, ?>)) {
                // a JSON object is a Lua table too: ipairs finds no rules in it, and says nothing
                problems.add("ratelimit: rules: (expected: a list of rules), nothing is limited");
            }
            int status = DEFAULT_STATUS;
            if (statusValue != null) {
                double d = statusValue instanceof Number n ? n.doubleValue() : Double.NaN;
                if (statusValue instanceof Number && d >= 400 && d <= 599 && d == Math.floor(d)) {
                    status = (int) d;
                } else {
                    problems.add("ratelimit: status: " + LuaValues.tostring(statusValue)
                            + " (expected: an HTTP status from 400 to 599), using " + DEFAULT_STATUS);
                }
            }
            String message = messageValue instanceof String s ? s : "Too Many Requests";
            boolean headers = !Boolean.FALSE.equals(headersValue);
            return new Policy(rules, status, message, headers, problems);
        }

        /** The usable rules, in order. */
        public List<RateLimitRule> rules() {
            return rules;
        }

        /** Status of a refusal. */
        public int status() {
            return status;
        }

        /** Body of a refusal, without the newline {@code ngx.say} adds. */
        public String message() {
            return message;
        }

        /** RateLimit headers on allowed responses too. */
        public boolean headers() {
            return headers;
        }

        /** The error lines the Lua module logs for these settings, in its order. */
        public List<String> problems() {
            return problems;
        }

        /** True the first time only: the problems are logged once per loaded config. */
        boolean firstUse() {
            return !problems.isEmpty() && problemsLogged.compareAndSet(false, true);
        }

        /** Whether a rule counts by a request header. */
        boolean hasHeaderRule() {
            return hasHeaderRule;
        }

        @Override
        public String toString() {
            return "Policy[rules=" + rules + ", status=" + status + ", message=" + message + ", headers=" + headers
                    + ", problems=" + problems + "]";
        }
    }
}
