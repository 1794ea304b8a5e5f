package dev.graft.bench.stage;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.graft.bridge.StageExchange;
import dev.graft.bridge.StageModule;
import dev.graft.host.exchange.Exchange;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The Java side of a stage benchmark: the module found as the host finds it (ServiceLoader),
 * its settings bound from the demo config, and the host's {@link StageExchange} adapter over an
 * {@link Exchange}.
 *
 * <p>While the Java ports or the host's adapter are still being written, {@link #availability}
 * says what is missing and bench/run.sh reports "not available yet" instead of a number.
 */
public final class JavaStages {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private JavaStages() {}

    /** Every module the class path provides, by name. */
    public static java.util.Map<String, StageModule<?>> modules() {
        java.util.Map<String, StageModule<?>> found = new TreeMap<>();
        for (StageModule<?> m : ServiceLoader.load(StageModule.class)) {
            found.put(m.name(), m);
        }
        return found;
    }

    /**
     * The host's view of an exchange as a {@link StageExchange}, once it exists. The bridge
     * dispatch builds it; until it lands this is empty.
     */
    public static Optional<Function<Exchange, StageExchange>> adapter() {
        return Optional.empty();
    }

    /** Why module {@code name} cannot be benchmarked in Java yet, or empty when it can. */
    public static Optional<String> availability(String name) {
        if (!modules().containsKey(name)) {
            return Optional.of("no Java port of " + name + " on the class path yet");
        }
        if (adapter().isEmpty()) {
            return Optional.of("the host's StageExchange adapter does not exist yet");
        }
        return Optional.empty();
    }

    /** Binds a module's settings to its config record. */
    public static <C> C bind(StageModule<C> module, JsonNode settings) {
        try {
            return JSON.treeToValue(settings, module.configType());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(module.name() + ": settings do not bind: " + e.getOriginalMessage(), e);
        }
    }

    /** Prints, for bench/run.sh, one line per module: {@code name ok} or {@code name missing: why}. */
    public static void main(String[] args) {
        for (String m : StageInputs.MODULES) {
            System.out.println(m + availability(m).map(why -> " missing: " + why).orElse(" ok"));
        }
    }
}
