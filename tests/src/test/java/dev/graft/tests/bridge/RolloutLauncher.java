package dev.graft.tests.bridge;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.host.config.ConfigError;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.tests.harness.GraftLauncher;
import dev.graft.tests.harness.ProxyLauncher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Graft with a rollout: the cases' config plus {@code "rollout": {"<module>": {"mode": "java"}}}
 * for each of {@code javaModules}. A case whose settings a Java module refuses would make the
 * whole config refused at load; such a case's customer is kept on Lua for that module (an
 * override) and listed in {@link #refused()}, so that the suite reports it as a difference
 * instead of losing every other case.
 */
public final class RolloutLauncher implements ProxyLauncher {

    private final String label;
    private final Set<String> javaModules;
    private final ProxyLauncher graft = new GraftLauncher();
    /** Case customer -> the error of each module that refused its settings. */
    private final Map<String, List<String>> refused = new LinkedHashMap<>();

    public RolloutLauncher(String label, Set<String> javaModules) {
        this.label = requireNonNull(label, "label");
        this.javaModules = Set.copyOf(requireNonNull(javaModules, "javaModules"));
    }

    @Override
    public String name() {
        return "graft[" + label + "]";
    }

    /** The customers (case ids) whose settings a Java module refused, with the errors. */
    public Map<String, List<String>> refused() {
        return refused;
    }

    @Override
    public Launch launch(ObjectNode config, Path workDir) {
        ObjectNode rollout = JsonNodeFactory.instance.objectNode();
        for (String m : javaModules) {
            rollout.putObject(m).put("mode", "java").putObject("customers");
        }
        config.set("rollout", rollout);
        // at most one round per module: each round moves the refused customers back to Lua
        for (int round = 0; round <= javaModules.size(); round++) {
            ConfigResult r = ConfigLoader.check(config, workDir);
            if (r instanceof ConfigResult.Valid) {
                break;
            }
            List<ConfigError> errors = ((ConfigResult.Invalid) r).errors();
            List<ConfigError> other = new ArrayList<>();
            for (ConfigError e : errors) {
                String[] parts = e.path().split("\\.", 5);
                if (parts.length >= 4 && parts[0].equals("customers") && parts[2].equals("modules")
                        && javaModules.contains(parts[3])) {
                    ((ObjectNode) rollout.get(parts[3]).get("customers")).put(parts[1], "lua");
                    refused.computeIfAbsent(parts[1], k -> new ArrayList<>()).add(e.message());
                } else {
                    other.add(e);
                }
            }
            if (!other.isEmpty()) {
                return new Launch.Failed("Graft refused the config with rollout " + rollout + ": " + other);
            }
        }
        return graft.launch(config, workDir);
    }
}
