package dev.graft.host.bridge;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.StageModule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The Java stage modules on the classpath, by name: what {@link ServiceLoader} finds for
 * {@code META-INF/services/dev.graft.bridge.StageModule} (rust-style-modules, and test modules
 * in tests). Discovered once per config generation, off the hot path.
 *
 * @param modules  the modules by {@link StageModule#name()}
 * @param problems registrations that could not be used (a class that does not load, two
 *                 modules with one name); reported when a config puts such a module in java mode
 */
public record StageModules(Map<String, StageModule<?>> modules, List<String> problems) {

    public StageModules {
        modules = Map.copyOf(requireNonNull(modules, "modules"));
        problems = List.copyOf(requireNonNull(problems, "problems"));
    }

    /** The modules registered on this class's class loader. */
    public static StageModules discover() {
        return discover(StageModules.class.getClassLoader());
    }

    /** The modules registered on {@code loader}. */
    public static StageModules discover(ClassLoader loader) {
        requireNonNull(loader, "loader");
        Map<String, StageModule<?>> found = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        var it = ServiceLoader.load(StageModule.class, loader).iterator();
        while (true) {
            StageModule<?> m;
            try {
                if (!it.hasNext()) {
                    break;
                }
                m = it.next();
            } catch (ServiceConfigurationError e) {
                problems.add(e.getMessage());
                continue;
            }
            StageModule<?> before = found.putIfAbsent(m.name(), m);
            if (before != null) {
                problems.add(m.name() + ": two Java modules claim this name: " + before.getClass().getName()
                        + " and " + m.getClass().getName());
            }
        }
        return new StageModules(found, problems);
    }

    /** Exactly these modules (tests). */
    public static StageModules of(List<StageModule<?>> modules) {
        Map<String, StageModule<?>> byName = new LinkedHashMap<>();
        for (StageModule<?> m : modules) {
            byName.put(m.name(), m);
        }
        return new StageModules(byName, List.of());
    }

    public Optional<StageModule<?>> find(String name) {
        return Optional.ofNullable(modules.get(name));
    }
}
