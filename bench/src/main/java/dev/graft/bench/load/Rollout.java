package dev.graft.bench.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.bench.stage.JavaStages;
import java.util.List;
import java.util.Set;

/**
 * Turns the demo config into one whose listed modules are served by their Java ports, through
 * the config's rollout section. The bridge dispatch that reads that section is being written:
 * until it lands, and for modules without a port, the answer is {@link Result.Unavailable}, and
 * the load harness reports the configuration as "not available yet" instead of a number.
 */
final class Rollout {

    private Rollout() {}

    sealed interface Result {
        record Applied(ObjectNode config) implements Result {}

        record Unavailable(String why) implements Result {}
    }

    /** The modules the half-and-half configuration serves from Java: every other one, in pipeline order. */
    static final List<String> MIX_JAVA = List.of("normalize", "headers", "waf", "auth", "router", "accesslog");

    static Result apply(ObjectNode config, Set<String> javaModules) {
        var ports = JavaStages.modules().keySet();
        List<String> missing = javaModules.stream().filter(m -> !ports.contains(m)).sorted().toList();
        if (!missing.isEmpty()) {
            return new Result.Unavailable("no Java port yet of " + String.join(", ", missing));
        }
        // The rollout section's shape is the bridge helper's to define; write it here once it exists.
        return new Result.Unavailable("the dispatch config (per-module mode lua/java) has not landed yet");
    }
}
