package dev.graft.host.config;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Which side serves each module: the {@code rollout} section of the config. A module not
 * named here is served by Lua; a named one has a mode, per-customer overrides, and optionally
 * automatic-rollback thresholds and scripted promotion steps.
 *
 * <pre>
 *   "rollout": {"waf": {"mode": "java", "customers": {"legacy": "lua"}},
 *               "cors": {"mode": {"mode": "canary", "percent": 10, "key": "client"},
 *                        "rollback": {"window_s": 60, "max_fallback_rate": 0.01},
 *                        "steps": [{"mode": "canary", "percent": 1, "key": "client"}, "java"],
 *                        "step_s": 300}}
 * </pre>
 *
 * <p>{@link Mode} is sealed so that every switch handles every mode. Shadow mode serves one side
 * ({@link Mode.Shadow#serve()}) and runs the other as the shadow, on a copy of the exchange.
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

    /** Whether {@code module} is served by Java (fully or as a canary) for at least one customer. */
    public boolean javaAnywhere(String module) {
        ModuleRollout m = modules.get(module);
        return m != null && m.javaAnywhere();
    }

    /** The modules served by Java (fully or as a canary) for at least one customer. */
    public Set<String> javaModules() {
        return modules.entrySet().stream().filter(e -> e.getValue().javaAnywhere()).map(Map.Entry::getKey)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** This rollout with {@code module}'s rollout replaced (or added). */
    public Rollout with(String module, ModuleRollout rollout) {
        requireNonNull(module, "module");
        requireNonNull(rollout, "rollout");
        Map<String, ModuleRollout> next = new LinkedHashMap<>(modules);
        next.put(module, rollout);
        return new Rollout(next);
    }

    /**
     * One module's rollout.
     *
     * @param mode      the mode of customers without an override
     * @param customers overrides by customer name
     * @param rollback  thresholds that switch the module back to Lua live; empty for none
     * @param steps     promotion steps, applied in order while the rollback checks hold (empty: none)
     * @param stepSeconds how long each step must hold its checks before the next one
     */
    public record ModuleRollout(Mode mode, Map<String, Mode> customers, Optional<RollbackPolicy> rollback,
                                List<Mode> steps, long stepSeconds) {
        public ModuleRollout {
            requireNonNull(mode, "mode");
            customers = Map.copyOf(requireNonNull(customers, "customers"));
            requireNonNull(rollback, "rollback");
            steps = List.copyOf(requireNonNull(steps, "steps"));
        }

        /** A rollout with a mode and overrides only. */
        public ModuleRollout(Mode mode, Map<String, Mode> customers) {
            this(mode, customers, Optional.empty(), List.of(), 0);
        }

        public Mode mode(String customer) {
            return customers.getOrDefault(customer, mode);
        }

        /** The same rollout with every customer on {@code m} (overrides dropped). */
        public ModuleRollout allOn(Mode m) {
            return new ModuleRollout(m, Map.of(), rollback, steps, stepSeconds);
        }

        /**
         * Whether a config generation binds {@code customer}'s settings to the Java module: its
         * mode serves Java, or (without an override) a promotion step will.
         */
        public boolean bindsJava(String customer) {
            Mode m = customers.get(customer);
            if (m != null) {
                return m.needsJava();
            }
            return mode.needsJava() || steps.stream().anyMatch(Mode::needsJava);
        }

        boolean javaAnywhere() {
            return mode.needsJava() || customers.values().stream().anyMatch(Mode::needsJava)
                    || steps.stream().anyMatch(Mode::needsJava);
        }
    }

    /**
     * Automatic rollback thresholds, each over the last {@code windowSeconds}; an empty
     * threshold is not checked. A rate needs at least {@code minCalls} Java calls in the window.
     */
    public record RollbackPolicy(long windowSeconds, long minCalls, OptionalDouble maxFallbackRate,
                                 OptionalDouble maxExceptionRate, OptionalDouble maxLatencyRatio,
                                 OptionalDouble maxMismatchRate) {
        public RollbackPolicy {
            requireNonNull(maxMismatchRate, "maxMismatchRate");
            requireNonNull(maxFallbackRate, "maxFallbackRate");
            requireNonNull(maxExceptionRate, "maxExceptionRate");
            requireNonNull(maxLatencyRatio, "maxLatencyRatio");
        }
    }

    /** What a canary's stickiness is keyed on. */
    public sealed interface CanaryKey {
        /** The client's address. */
        record Client() implements CanaryKey {}

        /** The customer's name. */
        record Customer() implements CanaryKey {}

        /** A request header's value (absent: the empty string). */
        record Header(String name) implements CanaryKey {
            public Header {
                requireNonNull(name, "name");
            }
        }

        /** A cookie's value (absent: the empty string). */
        record Cookie(String name) implements CanaryKey {
            public Cookie {
                requireNonNull(name, "name");
            }
        }

        /** The key's name in the config. */
        default String configName() {
            return switch (this) {
                case Client c -> "client";
                case Customer c -> "customer";
                case Header h -> "header:" + h.name();
                case Cookie c -> "cookie:" + c.name();
            };
        }
    }

    /** Who serves a stage. */
    public sealed interface Mode {
        /** The Lua handler serves the stage. */
        record Lua() implements Mode {}

        /** The Java module serves the stage; its fallbacks run the Lua handler. */
        record Java() implements Mode {}

        /**
         * Java serves {@code percent}% of requests, chosen by CRC32 of the key mod 100 &lt; percent,
         * so one key always gets the same side; Lua serves the rest.
         */
        record Canary(int percent, CanaryKey key) implements Mode {
            public Canary {
                requireNonNull(key, "key");
                if (percent < 0 || percent > 100) {
                    throw new IllegalArgumentException("percent: " + percent + " (expected: 0 to 100)");
                }
            }
        }

        /**
         * One side serves every request ({@code serve}); on a sample of them (at most
         * {@code maxCpuShare} of one core's time spent on shadows) the other side runs as well,
         * on a copy of the exchange, with its effects compared and never applied.
         *
         * @param serve       the side that serves (the other one is the shadow)
         * @param sample      the share of requests shadowed, 0..1
         * @param maxCpuShare the cap on shadow CPU time over a window, as a share of one core, 0..1
         * @param redact      request headers blanked in the mismatch store beyond Authorization,
         *                    Proxy-Authorization and Cookie (lower case)
         */
        record Shadow(Serve serve, double sample, double maxCpuShare, List<String> redact) implements Mode {
            public Shadow {
                requireNonNull(serve, "serve");
                redact = List.copyOf(requireNonNull(redact, "redact"));
                if (!(sample >= 0 && sample <= 1) || !(maxCpuShare >= 0 && maxCpuShare <= 1)) {
                    throw new IllegalArgumentException("sample, max_cpu_share: " + sample + ", " + maxCpuShare
                            + " (expected: 0 to 1)");
                }
            }

            /** A shadow where Lua serves and Java is the shadow. */
            public Shadow(double sample, double maxCpuShare, List<String> redact) {
                this(Serve.LUA, sample, maxCpuShare, redact);
            }

            /** Whether Java serves (and Lua is the shadow). */
            public boolean servesJava() {
                return serve == Serve.JAVA;
            }
        }

        /** The serving side of a shadow. */
        enum Serve {
            LUA, JAVA;

            /** The name in the config. */
            public String configName() {
                return this == LUA ? "lua" : "java";
            }
        }

        Mode LUA = new Lua();
        Mode JAVA = new Java();

        /** Whether Java serves some requests in this mode. */
        default boolean servesJava() {
            return switch (this) {
                case Lua l -> false;
                case Java j -> true;
                case Canary c -> true;
                case Shadow s -> s.servesJava();
            };
        }

        /**
         * Whether Java serves every request in this mode ({@code java}, or a shadow with Java
         * serving): a customer whose every module is in such a mode takes the native path.
         */
        default boolean servesJavaAlways() {
            return switch (this) {
                case Lua l -> false;
                case Java j -> true;
                case Canary c -> false;
                case Shadow s -> s.servesJava();
            };
        }

        /** Whether the Java module runs in this mode (serving or as a shadow), so its settings are bound. */
        default boolean needsJava() {
            return servesJava() || this instanceof Shadow;
        }

        /** The mode's name in the config. */
        default String configName() {
            return switch (this) {
                case Lua l -> "lua";
                case Java j -> "java";
                case Canary c -> "canary";
                case Shadow s -> "shadow";
            };
        }

        /** The mode a plain config name stands for; empty for an unknown name (the loader reports it). */
        static Optional<Mode> parse(String name) {
            return switch (name) {
                case "lua" -> Optional.of(LUA);
                case "java" -> Optional.of(JAVA);
                default -> Optional.empty();
            };
        }
    }
}
