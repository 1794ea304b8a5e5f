package dev.graft.host.config;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Set;

/**
 * Which side serves each module: the {@code rollout} section of the config. A module not
 * named here is served by Lua; a named one has a mode and per-customer overrides.
 *
 * <pre>
 *   "rollout": {"waf": {"mode": "java", "customers": {"legacy": "lua"}}}
 * </pre>
 *
 * <p>{@link Mode} is sealed so that later modes (shadow, canary with a share and a sticky key)
 * are new records that every switch must handle.
 *
 * @param modules each named module's rollout
 */
public record Rollout(Map<String, ModuleRollout> modules) {

    /** Every module served by Lua: the rollout of a config without the section. */
    public static final Rollout ALL_LUA = new Rollout(Map.of());

    public Rollout {
        modules = Map.copyOf(requireNonNull(modules, "modules"));
    }

    /** The mode of {@code module} for {@code customer}. */
    public Mode mode(String module, String customer) {
        ModuleRollout m = modules.get(module);
        return m == null ? Mode.LUA : m.mode(customer);
    }

    /** Whether {@code module} is served by Java for at least one customer. */
    public boolean javaAnywhere(String module) {
        ModuleRollout m = modules.get(module);
        return m != null && m.javaAnywhere();
    }

    /** The modules served by Java for at least one customer. */
    public Set<String> javaModules() {
        return modules.entrySet().stream().filter(e -> e.getValue().javaAnywhere()).map(Map.Entry::getKey)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /**
     * One module's rollout.
     *
     * @param mode      the mode of customers without an override
     * @param customers overrides by customer name
     */
    public record ModuleRollout(Mode mode, Map<String, Mode> customers) {
        public ModuleRollout {
            requireNonNull(mode, "mode");
            customers = Map.copyOf(requireNonNull(customers, "customers"));
        }

        public Mode mode(String customer) {
            return customers.getOrDefault(customer, mode);
        }

        boolean javaAnywhere() {
            return mode instanceof Mode.Java || customers.values().stream().anyMatch(m -> m instanceof Mode.Java);
        }
    }

    /** Who serves a stage. */
    public sealed interface Mode {
        /** The Lua handler serves the stage. */
        record Lua() implements Mode {}

        /** The Java module serves the stage; its fallbacks run the Lua handler. */
        record Java() implements Mode {}

        Mode LUA = new Lua();
        Mode JAVA = new Java();

        /** The mode's name in the config. */
        default String configName() {
            return switch (this) {
                case Lua l -> "lua";
                case Java j -> "java";
            };
        }

        /** The mode a config name stands for; empty for an unknown name (the loader reports it). */
        static java.util.Optional<Mode> parse(String name) {
            return switch (name) {
                case "lua" -> java.util.Optional.of(LUA);
                case "java" -> java.util.Optional.of(JAVA);
                default -> java.util.Optional.empty();
            };
        }
    }
}
