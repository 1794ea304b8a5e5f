package dev.graft.modules.waf;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A built-in rule as rules.lua writes it: the rule table's fields, absent ones empty. It goes
 * through the same validation as a custom rule ({@link RuleCompiler}), as in the Lua module.
 *
 * @param id          rule id, in the OWASP CRS families
 * @param category    family, for people
 * @param phase       documentation only
 * @param description one line, for people
 * @param targets     where to look
 * @param operator    {@code rx} when empty
 * @param pattern     for rx / !rx
 * @param flags       ngx.re options, {@code jo} when empty
 * @param limit       for gt / len_gt
 * @param limitConf   the customer setting that overrides {@code limit}
 * @param methods     the methods the rule applies to; all when empty
 * @param transforms  applied to each value before matching
 * @param score       points added on a match
 */
record RuleSpec(long id, String category, String phase, String description, List<String> targets,
        Optional<String> operator, Optional<String> pattern, Optional<String> flags, Optional<Double> limit,
        Optional<String> limitConf, Optional<List<String>> methods, Optional<List<String>> transforms, long score) {

    RuleSpec {
        requireNonNull(category, "category");
        requireNonNull(phase, "phase");
        requireNonNull(description, "description");
        targets = List.copyOf(targets);
        requireNonNull(operator, "operator");
        requireNonNull(pattern, "pattern");
        requireNonNull(flags, "flags");
        requireNonNull(limit, "limit");
        requireNonNull(limitConf, "limitConf");
        requireNonNull(methods, "methods");
        requireNonNull(transforms, "transforms");
    }

    /** The rule as the Lua table (decoded-JSON shape) that compile_rule reads. */
    Map<String, Object> asTable() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("id", id);
        t.put("category", category);
        t.put("phase", phase);
        t.put("description", description);
        t.put("targets", targets);
        operator.ifPresent(v -> t.put("operator", v));
        pattern.ifPresent(v -> t.put("pattern", v));
        flags.ifPresent(v -> t.put("flags", v));
        limit.ifPresent(v -> t.put("limit", v));
        limitConf.ifPresent(v -> t.put("limit_conf", v));
        methods.ifPresent(v -> t.put("methods", v));
        transforms.ifPresent(v -> t.put("transforms", v));
        t.put("score", score);
        return t;
    }
}
