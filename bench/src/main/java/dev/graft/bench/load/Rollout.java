package dev.graft.bench.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.bench.BenchHome;
import dev.graft.bench.stage.JavaStages;
import dev.graft.host.config.ConfigError;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import java.util.List;
import java.util.Set;

/**
 * Turns the demo config into one whose listed modules are served by their Java ports, through
 * the config's {@code rollout} section ({@code {"waf": {"mode": "java"}}}). The config is checked
 * with the host's own loader first: while a port is missing, or the host does not know the
 * section yet, the answer is {@link Result.Unavailable} with the loader's reasons, and the load
 * harness reports the configuration as "not available yet" instead of a number.
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
        ObjectNode c = config.deepCopy();
        ObjectNode rollout = c.putObject("rollout");
        for (String m : javaModules) {
            rollout.putObject(m).put("mode", "java");
        }
        String json = c.toString();
        return switch (ConfigLoader.parse(json, BenchHome.demoConfig().getParent(), "bench rollout")) {
            // a host without the dispatch refuses "rollout" as an unknown key
            case ConfigResult.Valid v -> new Result.Applied(c);
            case ConfigResult.Invalid i -> new Result.Unavailable("the host refuses the rollout config: "
                    + i.errors().stream().map(ConfigError::message).limit(3).toList());
        };
    }
}
