package dev.graft.modules.waf;

import dev.graft.modules.lua.LuaValues;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What waf/handler.lua's {@code prepare(conf)} builds from a customer's settings: the mode,
 * the threshold, the limits and the active rules (built-in minus disabled, then custom minus
 * disabled), plus the error lines it logs on the way. Built once per loaded config; the
 * lines are logged on first use, as Lua logs them once per settings table.
 */
public final class WafPolicy {

    static final int DEFAULT_THRESHOLD = 5;
    static final double DEFAULT_BODY_LIMIT = 65536;

    /** What a score at or over the threshold does. */
    public enum Mode {
        BLOCK("block"), LOG("log"), OFF("off");

        private final String luaName;

        Mode(String luaName) {
            this.luaName = luaName;
        }

        public String luaName() {
            return luaName;
        }
    }

    private final Mode mode;
    private final long threshold;
    private final double bodyLimit;
    private final int argsLimit;
    private final boolean upstreamHeaders;
    private final List<WafRule> rules;
    private final RulePlan plan;
    private final List<String> problems;
    private final AtomicBoolean problemsLogged = new AtomicBoolean();

    private WafPolicy(Mode mode, long threshold, double bodyLimit, int argsLimit, boolean upstreamHeaders,
            List<WafRule> rules, List<String> problems) {
        this.mode = mode;
        this.threshold = threshold;
        this.bodyLimit = bodyLimit;
        this.argsLimit = argsLimit;
        this.upstreamHeaders = upstreamHeaders;
        this.rules = List.copyOf(rules);
        this.plan = RulePlan.of(this.rules);
        this.problems = List.copyOf(problems);
    }

    static WafPolicy of(WafConfig.Settings conf) {
        List<String> problems = new ArrayList<>();
        Object modeValue = LuaValues.or(conf.mode(), "block");
        Mode mode = switch (modeValue instanceof String s ? s : "") {
            case "block" -> Mode.BLOCK;
            case "log" -> Mode.LOG;
            case "off" -> Mode.OFF;
            default -> {
                problems.add("waf: mode: " + LuaValues.tostring(modeValue) + " (expected: block, log or off), using block");
                yield Mode.BLOCK;
            }
        };

        Set<Double> disabled = new HashSet<>();
        if (conf.disabledRules() instanceof List<?> ids) {
            for (Object id : ids) {
                if (id instanceof Number n) {
                    disabled.add(n.doubleValue());
                }
            }
        }

        List<WafRule> rules = new ArrayList<>();
        int i = 0;
        for (RuleSpec spec : BuiltinRules.ALL) {
            i++;
            add(spec.asTable(), "rules[" + i + "]", conf, disabled, rules, problems);
        }
        if (conf.customRules() instanceof List<?> custom) {
            for (int k = 0; k < custom.size(); k++) {
                add(custom.get(k), "custom_rules[" + (k + 1) + "]", conf, disabled, rules, problems);
            }
        }

        long threshold = DEFAULT_THRESHOLD;
        if (conf.threshold() != null) {
            if (LuaValues.intIn(conf.threshold(), 0)) {
                threshold = (long) LuaValues.number(conf.threshold());
            } else {
                problems.add("waf: threshold: " + LuaValues.tostring(conf.threshold())
                        + " (expected: a non-negative integer), using " + DEFAULT_THRESHOLD);
            }
        }
        double maxArgs = conf.maxArgs() instanceof Number n ? n.doubleValue() : 100;
        double bodyLimit = conf.bodyLimit() instanceof Number n ? n.doubleValue() : DEFAULT_BODY_LIMIT;
        // one more than allowed, so that "too many" is seen without parsing everything;
        // get_uri_args(max) takes it as an integer (truncated), and 0 or less means no limit
        int argsLimit = (int) (maxArgs + 1);
        boolean upstreamHeaders = !Boolean.FALSE.equals(conf.upstreamHeaders());
        return new WafPolicy(mode, threshold, bodyLimit, argsLimit, upstreamHeaders, rules, problems);
    }

    private static void add(Object table, String origin, WafConfig.Settings conf, Set<Double> disabled,
            List<WafRule> rules, List<String> problems) {
        RuleCompiler.Result r;
        try {
            r = RuleCompiler.compile(table, conf::byKey);
        } catch (RuleCompiler.UnknownFlags e) {
            throw new IllegalArgumentException(camel(origin) + "." + e.getMessage(), e);
        }
        switch (r) {
            case RuleCompiler.Dropped d -> problems.add("waf: " + origin + ": " + d.why() + ", rule ignored");
            case RuleCompiler.Compiled c -> {
                if (!disabled.contains((double) c.rule().id())) {
                    rules.add(c.rule());
                }
            }
        }
    }

    /** {@code custom_rules[2]} as the config record's field path, {@code customRules[2]}. */
    private static String camel(String origin) {
        return origin.startsWith("custom_rules") ? "customRules" + origin.substring("custom_rules".length()) : origin;
    }

    public Mode mode() {
        return mode;
    }

    public long threshold() {
        return threshold;
    }

    /** Bodies larger than this many bytes are not inspected. */
    public double bodyLimit() {
        return bodyLimit;
    }

    /** {@code max_args + 1}: the most arguments parsed (0 or less: no limit). */
    public int argsLimit() {
        return argsLimit;
    }

    public boolean upstreamHeaders() {
        return upstreamHeaders;
    }

    /** The active rules, in the order they are checked. */
    List<WafRule> rules() {
        return rules;
    }

    /** The active rules with their targets numbered, for matching. */
    RulePlan plan() {
        return plan;
    }

    /** The active rule ids, in order. */
    public List<Long> ruleIds() {
        return rules.stream().map(WafRule::id).toList();
    }

    /** The error lines the Lua module logs for these settings, in its order. */
    public List<String> problems() {
        return problems;
    }

    /** True the first time only, when there is something to log. */
    boolean firstUse() {
        return !problems.isEmpty() && problemsLogged.compareAndSet(false, true);
    }

    @Override
    public String toString() {
        return "WafPolicy[mode=" + mode + ", threshold=" + threshold + ", rules=" + rules.size() + ", problems="
                + problems + "]";
    }
}
