package dev.graft.modules.router;

import dev.graft.modules.lua.LuaText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A pool of origins (legacy-scripts/router/balancer.lua): a weighted choice by CRC-32 of a
 * stable key, sticky through a cookie. Targets that are not {@code {upstream, weight}} with an
 * integer weight >= 0 are ignored (and logged); a pool without a positive weight is unusable.
 *
 * @param targets      the targets, in order
 * @param hashHeader   request header whose value is the hash key; "" is none
 * @param sticky       read and send the sticky cookie; default true
 * @param cookie       cookie name; default graft_sticky_&lt;pool&gt;
 * @param cookiePath   cookie Path; default "/"
 * @param cookieMaxAge cookie Max-Age; absent: a session cookie
 */
public record Pool(Optional<List<Target>> targets, Optional<String> hashHeader, Optional<Boolean> sticky,
        Optional<String> cookie, Optional<String> cookiePath, Optional<Long> cookieMaxAge) {

    public Pool {
        targets = LuaText.orEmpty(targets).map(l -> java.util.Collections.unmodifiableList(new ArrayList<>(l)));
        // get_headers() keys are lower case, and a lookup reads '_' as '-'
        hashHeader = LuaText.nonEmpty(hashHeader).map(h -> LuaText.asciiLower(h).replace('_', '-'));
        sticky = LuaText.orEmpty(sticky);
        cookie = LuaText.nonEmpty(cookie);
        cookiePath = LuaText.orEmpty(cookiePath).map(LuaText::bytes);
        cookieMaxAge = LuaText.orEmpty(cookieMaxAge);
    }

    /** A pool that is not an object: no targets. */
    public static Pool valueOf(String notAnObject) {
        return new Pool(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /**
     * One target.
     *
     * @param upstream the upstream's name
     * @param weight   an integer >= 0, default 1; 0 drains the target
     */
    public record Target(Optional<String> upstream, Optional<Double> weight) {
        public Target {
            upstream = LuaText.nonEmpty(upstream);
            weight = LuaText.orEmpty(weight);
        }

        /** A target that is not an object: unusable. */
        public static Target valueOf(String notAnObject) {
            return new Target(Optional.empty(), Optional.of(-1.0));
        }

        boolean valid() {
            double w = weight.orElse(1.0);
            return upstream.isPresent() && w >= 0 && w % 1 == 0;
        }

        long weightValue() {
            return (long) (double) weight.orElse(1.0);
        }
    }

    /** A target with its cumulative weight. */
    record Slot(String upstream, long upto) {}

    /** The live targets with cumulative weights, in order. */
    List<Slot> slots() {
        List<Slot> out = new ArrayList<>();
        long total = 0;
        for (Target t : targets.orElse(List.of())) {
            if (t != null && t.valid() && t.weightValue() > 0) {
                total += t.weightValue();
                out.add(new Slot(t.upstream().orElseThrow(), total));
            }
        }
        return out;
    }

    /** Why the pool cannot be used, in the Lua module's words; empty when usable. */
    Optional<String> unusable(String name) {
        if (targets.isEmpty()) {
            return Optional.of("pools." + name + ".targets: missing (expected: a list of {upstream, weight})");
        }
        return slots().isEmpty() ? Optional.of("pools." + name + ": no target with a positive weight") : Optional.empty();
    }

    void targetProblems(String name, List<String> out) {
        List<Target> list = targets.orElse(List.of());
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null || !list.get(i).valid()) {
                out.add("router: pools." + name + ".targets[" + (i + 1)
                        + "]: not {upstream=<name>, weight=<integer >= 0>}, ignored");
            }
        }
    }

    /** The cookie name, when sticky. */
    Optional<String> cookieName(String name) {
        if (sticky.filter(s -> !s).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(cookie.orElse("graft_sticky_" + name));
    }

    String cookieAttributes() {
        return "; Path=" + cookiePath.orElse("/") + cookieMaxAge.map(a -> "; Max-Age=" + a).orElse("")
                + "; HttpOnly; SameSite=Lax";
    }
}
