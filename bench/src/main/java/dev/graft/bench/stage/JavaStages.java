package dev.graft.bench.stage;

import dev.graft.bridge.StageModule;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which Java ports can be benchmarked: found as the host finds them (ServiceLoader), and
 * accepted by the host with the demo settings ({@link LuaStages#load(Set)} builds the VM with
 * the port behind the Lua driver's {@code require}). While a port is missing or refused,
 * {@link #availability} says why and bench/run.sh reports "not available yet" instead of a number.
 */
public final class JavaStages {

    private JavaStages() {}

    /** Every module the class path provides, by name. */
    public static Map<String, StageModule<?>> modules() {
        Map<String, StageModule<?>> found = new TreeMap<>();
        for (StageModule<?> m : ServiceLoader.load(StageModule.class)) {
            found.put(m.name(), m);
        }
        return found;
    }

    /** Why module {@code name} cannot be benchmarked in Java yet, or empty when it can. */
    public static Optional<String> availability(String name) {
        if (!modules().containsKey(name)) {
            return Optional.of("no Java port of " + name + " on the class path yet");
        }
        try {
            LuaStages.load(Set.of(name)).handler(name, StageInputs.CUSTOMER.get(name));
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("the host refuses it: " + e.getMessage());
        }
    }

    /** Prints, for bench/run.sh, one line per module: {@code name ok} or {@code name missing: why}. */
    public static void main(String[] args) {
        for (String m : StageInputs.MODULES) {
            System.out.println(m + availability(m).map(why -> " missing: " + why).orElse(" ok"));
        }
    }
}
