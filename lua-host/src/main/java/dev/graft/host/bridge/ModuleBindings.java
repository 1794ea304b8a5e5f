package dev.graft.host.bridge;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.StageModule;
import dev.graft.host.config.ConfigError;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.config.Rollout;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Java side of one config generation: for every module that the rollout serves from Java
 * for at least one customer, its {@link StageModule} and, for each customer it serves, that
 * customer's settings bound to the module's config record. Built at load time (the config
 * loader, a reload, {@code check-config}) so that a module without a Java implementation or
 * settings the Java module refuses refuse the whole config with field-path errors, and
 * built again for the pipelines of the accepted config.
 *
 * <p>Only customers served by Java are bound: a customer that the rollout keeps on Lua never
 * reaches the Java module, and switching it to Java binds its settings (so a switch to settings
 * that Java would read differently is refused at load, and the running config stays).
 *
 * @param modules the Java-served modules by name
 */
public record ModuleBindings(Map<String, Binding> modules) {

    /** No module served by Java. */
    public static final ModuleBindings NONE = new ModuleBindings(Map.of());

    public ModuleBindings {
        modules = Map.copyOf(requireNonNull(modules, "modules"));
    }

    /**
     * One Java-served module.
     *
     * @param module    the implementation
     * @param configs   bound settings by customer, for the customers Java serves
     */
    public record Binding(StageModule<?> module, Map<String, Object> configs) {
        public Binding {
            requireNonNull(module, "module");
            configs = Map.copyOf(requireNonNull(configs, "configs"));
        }

        /** The bound settings of {@code customer}, when Java serves it. */
        public Optional<Object> config(String customer) {
            return Optional.ofNullable(configs.get(customer));
        }
    }

    /** The bindings, or every error found. */
    public sealed interface Result {
        record Bound(ModuleBindings bindings) implements Result {}

        record Refused(List<ConfigError> errors) implements Result {}
    }

    /** The errors of {@link #bind} with the modules on the classpath; empty when the config binds. */
    public static List<ConfigError> check(GraftConfig config) {
        return switch (bind(config, StageModules.discover())) {
            case Result.Bound b -> List.of();
            case Result.Refused r -> r.errors();
        };
    }

    /** Binds {@code config}'s Java-served modules from {@code catalog}. */
    public static Result bind(GraftConfig config, StageModules catalog) {
        requireNonNull(config, "config");
        requireNonNull(catalog, "catalog");
        Rollout rollout = config.rollout();
        List<ConfigError> errors = new ArrayList<>();
        Map<String, Binding> out = new LinkedHashMap<>();
        for (Map.Entry<String, Rollout.ModuleRollout> e : rollout.modules().entrySet()) {
            String name = e.getKey();
            Rollout.ModuleRollout mr = e.getValue();
            if (!rollout.javaAnywhere(name)) {
                continue;
            }
            Optional<StageModule<?>> module = catalog.find(name);
            if (module.isEmpty()) {
                String where = mr.mode().needsJava() ? "rollout." + name + ".mode"
                        : "rollout." + name + ".customers";
                String why = catalog.problems().isEmpty() ? ""
                        : "; module registrations that failed: " + String.join("; ", catalog.problems());
                errors.add(new ConfigError(where, "\"java\"", "lua: no Java implementation of " + name
                        + " is on the classpath (Java modules: " + String.join(", ", catalog.modules().keySet())
                        + ")" + why));
                continue;
            }
            StageModule<?> m = module.get();
            Map<String, Object> configs = new LinkedHashMap<>();
            for (Map.Entry<String, GraftConfig.CustomerConfig> c : config.customers().entrySet()) {
                ObjectNode settings = c.getValue().modules().get(name);
                if (settings == null || !mr.bindsJava(c.getKey())) {
                    continue;
                }
                String path = "customers." + c.getKey() + ".modules." + name;
                switch (SettingsBinder.bind(settings, m.configType(), path)) {
                    case SettingsBinder.Bound.Ok ok -> configs.put(c.getKey(), ok.config());
                    case SettingsBinder.Bound.Refused r -> errors.add(r.error());
                }
            }
            out.put(name, new Binding(m, configs));
        }
        return errors.isEmpty() ? new Result.Bound(new ModuleBindings(out)) : new Result.Refused(errors);
    }

    public Optional<Binding> find(String module) {
        return Optional.ofNullable(modules.get(module));
    }
}
