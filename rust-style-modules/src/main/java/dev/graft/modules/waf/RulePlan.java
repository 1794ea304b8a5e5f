package dev.graft.modules.waf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The active rules with the request parts they look at numbered once, at load: a request then
 * fetches each part's values (and the sketches the prefilters test) once, by index, instead of
 * looking them up for every rule. Immutable.
 */
final class RulePlan {

    private final List<WafRule> rules;
    private final List<Target> targets;
    private final int[][] slots;

    private RulePlan(List<WafRule> rules, List<Target> targets, int[][] slots) {
        this.rules = rules;
        this.targets = targets;
        this.slots = slots;
    }

    static RulePlan of(List<WafRule> rules) {
        Map<Target, Integer> index = new LinkedHashMap<>();
        int[][] slots = new int[rules.size()][];
        for (int r = 0; r < rules.size(); r++) {
            List<Target> ts = rules.get(r).targets();
            slots[r] = new int[ts.size()];
            for (int t = 0; t < ts.size(); t++) {
                slots[r][t] = index.computeIfAbsent(ts.get(t), k -> index.size());
            }
        }
        return new RulePlan(List.copyOf(rules), List.copyOf(new ArrayList<>(index.keySet())), slots);
    }

    List<WafRule> rules() {
        return rules;
    }

    /** The distinct targets, by slot. */
    List<Target> targets() {
        return targets;
    }

    /** The slot of target {@code t} of rule {@code r}. */
    int slot(int r, int t) {
        return slots[r][t];
    }
}
