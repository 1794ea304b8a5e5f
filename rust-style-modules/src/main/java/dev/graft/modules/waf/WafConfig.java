package dev.graft.modules.waf;

import java.util.Objects;

/**
 * A customer's {@code waf} settings, bound from the same JSON the Lua handler gets as
 * {@code conf} (legacy-scripts/waf/README.md, "Fields").
 *
 * <p>The Lua module refuses almost nothing: a mode, threshold or custom rule it cannot use is
 * logged and defaulted or dropped. To accept exactly the settings Lua accepts (case 090 sends
 * {@code "threshold": "high"}), the JSON fields are kept as the binder decoded them (String,
 * Number, Boolean, List, Map; null when absent) and read with the Lua module's own type tests.
 * {@link #policy()} is derived from them once, in the compact constructor: the rule list
 * compiled with PcreRegex and the log lines of the Lua {@code prepare}. Any value passed for
 * it is ignored.
 *
 * <p>Refused here, where Lua fails every request of the customer instead: a custom rule whose
 * {@code flags} hold a letter ngx.re does not know (OpenResty raises a Lua error for those).
 *
 * @param mode             {@code block} (default), {@code log} or {@code off}
 * @param threshold        anomaly score that blocks, default 5
 * @param disabledRules    rule ids that do not run
 * @param customRules      the customer's own rules, after the built-in ones
 * @param bodyLimit        bodies larger than this are not inspected, default 65536
 * @param maxArgs          rule 920380's limit, default 100
 * @param maxArgLength     rule 920370's limit, default 4000
 * @param maxArgNameLength rule 920360's limit, default 100
 * @param upstreamHeaders  send X-Waf-Score / X-Waf-Matches upstream, default true
 * @param policy           derived: what the Lua module's prepare(conf) builds
 */
public record WafConfig(Object mode, Object threshold, Object disabledRules, Object customRules, Object bodyLimit,
        Object maxArgs, Object maxArgLength, Object maxArgNameLength, Object upstreamHeaders, WafPolicy policy) {

    public WafConfig {
        policy = WafPolicy.of(new Settings(mode, threshold, disabledRules, customRules, bodyLimit, maxArgs,
                maxArgLength, maxArgNameLength, upstreamHeaders));
    }

    /** Settings from JSON values; {@code null} is absent. */
    public static WafConfig of(Object mode, Object threshold, Object disabledRules, Object customRules,
            Object bodyLimit, Object maxArgs, Object maxArgLength, Object maxArgNameLength, Object upstreamHeaders) {
        return new WafConfig(mode, threshold, disabledRules, customRules, bodyLimit, maxArgs, maxArgLength,
                maxArgNameLength, upstreamHeaders, null);
    }

    /** Equal when the settings are: the derived policy follows from them. */
    @Override
    public boolean equals(Object o) {
        return o instanceof WafConfig c && Objects.equals(mode, c.mode)
                && Objects.equals(threshold, c.threshold)
                && Objects.equals(disabledRules, c.disabledRules)
                && Objects.equals(customRules, c.customRules)
                && Objects.equals(bodyLimit, c.bodyLimit) && Objects.equals(maxArgs, c.maxArgs)
                && Objects.equals(maxArgLength, c.maxArgLength)
                && Objects.equals(maxArgNameLength, c.maxArgNameLength)
                && Objects.equals(upstreamHeaders, c.upstreamHeaders);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, threshold, disabledRules, customRules, bodyLimit, maxArgs, maxArgLength,
                maxArgNameLength, upstreamHeaders);
    }

    /** The defaults: block at 5, the built-in rules. */
    public static WafConfig defaults() {
        return of(null, null, null, null, null, null, null, null, null);
    }

    /** The raw fields, for {@link WafPolicy#of}. */
    record Settings(Object mode, Object threshold, Object disabledRules, Object customRules, Object bodyLimit,
            Object maxArgs, Object maxArgLength, Object maxArgNameLength, Object upstreamHeaders) {

        /** {@code conf[key]} by JSON key: what a rule's {@code limit_conf} reads. */
        Object byKey(String key) {
            return switch (key) {
                case "mode" -> mode;
                case "threshold" -> threshold;
                case "disabled_rules" -> disabledRules;
                case "custom_rules" -> customRules;
                case "body_limit" -> bodyLimit;
                case "max_args" -> maxArgs;
                case "max_arg_length" -> maxArgLength;
                case "max_arg_name_length" -> maxArgNameLength;
                case "upstream_headers" -> upstreamHeaders;
                default -> null;
            };
        }
    }
}
