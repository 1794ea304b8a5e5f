package dev.graft.bridge.shared;

import static java.util.Objects.requireNonNull;

import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every {@link SharedDict} of the process by name (nginx's {@code lua_shared_dict}
 * lines). Built once from config; the dicts themselves are mutable and thread-safe, the
 * registry is not changed after construction.
 */
public final class SharedDicts {

    private final Map<String, SharedDict> byName;

    private SharedDicts(Map<String, SharedDict> byName) {
        this.byName = byName;
    }

    /** Dicts named by the keys of {@code capacities} (bytes), all on {@code clock}. */
    public static SharedDicts of(Map<String, Long> capacities, InstantSource clock) {
        requireNonNull(capacities, "capacities");
        requireNonNull(clock, "clock");
        Map<String, SharedDict> m = new LinkedHashMap<>();
        capacities.forEach((name, cap) -> m.put(name, new SharedDict(name, cap, clock)));
        return new SharedDicts(Map.copyOf(m));
    }

    public static SharedDicts empty() {
        return new SharedDicts(Map.of());
    }

    public Optional<SharedDict> get(String name) {
        return Optional.ofNullable(byName.get(requireNonNull(name, "name")));
    }

    public Set<String> names() {
        return byName.keySet();
    }
}
