package dev.graft.host.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Reads the {@code rollout} section (or one module's rollout, for {@code PUT /rollout/{module}})
 * into a {@link Rollout}, collecting every error with its field path. The config loader and
 * the admin API share it, so a mode change through the API is validated exactly like config.
 *
 * <pre>
 *   module rollout: {"mode": MODE_NAME, "percent": N, "key": KEY,       (percent/key: canary only;
 *                    "serve": "lua" | "java", "sample": 0..1, "max_cpu_share": 0..1, "redact": [..] (shadow only)
 *                    "customers": {"name": MODE, ...},
 *                    "rollback": {"window_s": 60, "min_calls": 20, "max_fallback_rate": 0.01,
 *                                 "max_exception_rate": 0.01, "max_latency_ratio": 3.0,
 *                                 "max_mismatch_rate": 0.001},
 *                    "steps": [MODE, ...], "step_s": 300}
 *   MODE: "lua" | "java" | {"mode": "canary", "percent": 0..100, "key": "client" | "customer"
 *                            | "header:Name" | "cookie:name"}
 *         | {"mode": "shadow", "serve": "lua", "sample": 0.1, "max_cpu_share": 0.1, "redact": ["x-api-key"]}
 * </pre>
 */
public final class RolloutSyntax {

    private static final List<String> MODULE_KEYS = List.of("mode", "percent", "key", "serve", "sample",
            "max_cpu_share", "redact", "customers", "rollback", "steps", "step_s");
    private static final List<String> MODE_KEYS = List.of("mode", "percent", "key", "serve", "sample",
            "max_cpu_share", "redact");
    private static final List<String> CANARY_KEYS = List.of("percent", "key");
    private static final List<String> SHADOW_KEYS = List.of("serve", "sample", "max_cpu_share", "redact");
    private static final List<String> ROLLBACK_KEYS = List.of("window_s", "min_calls", "max_fallback_rate",
            "max_exception_rate", "max_latency_ratio", "max_mismatch_rate");
    private static final String MODE_NAMES = "lua, java, canary or shadow";

    private final List<ConfigError> errors = new ArrayList<>();
    private final Set<String> customers;

    private RolloutSyntax(Set<String> customers) {
        this.customers = customers;
    }

    /** A parsed rollout, or the errors. */
    public sealed interface Parsed<T> {
        record Ok<T>(T value) implements Parsed<T> {}

        record Invalid<T>(List<ConfigError> errors) implements Parsed<T> {
            public Invalid {
                errors = List.copyOf(errors);
            }
        }
    }

    /**
     * The whole section.
     *
     * @param modules   the pipeline's modules (a rollout of another module is an error); empty set: any
     * @param customers the config's customers (an override for another customer is an error)
     */
    public static Parsed<Rollout> section(JsonNode n, Set<String> modules, Set<String> customers) {
        requireNonNull(modules, "modules");
        RolloutSyntax s = new RolloutSyntax(requireNonNull(customers, "customers"));
        if (n == null) {
            return new Parsed.Ok<>(Rollout.ALL_LUA);
        }
        if (!n.isObject()) {
            s.error("rollout", n, "an object of module rollouts by module name");
            return new Parsed.Invalid<>(s.errors);
        }
        Map<String, Rollout.ModuleRollout> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            String path = "rollout." + e.getKey();
            if (!modules.isEmpty() && !modules.contains(e.getKey())) {
                s.error(path, e.getValue(), "a module of the pipeline: " + String.join(", ", modules));
                continue;
            }
            s.module(e.getValue(), path).ifPresent(m -> out.put(e.getKey(), m));
        }
        return s.errors.isEmpty() ? new Parsed.Ok<>(new Rollout(out)) : new Parsed.Invalid<>(s.errors);
    }

    /** One module's rollout, its errors under {@code rollout.<module>}. */
    public static Parsed<Rollout.ModuleRollout> module(String module, JsonNode n, Set<String> customers) {
        requireNonNull(module, "module");
        RolloutSyntax s = new RolloutSyntax(requireNonNull(customers, "customers"));
        Optional<Rollout.ModuleRollout> m = s.module(n, "rollout." + module);
        return s.errors.isEmpty() && m.isPresent() ? new Parsed.Ok<>(m.get()) : new Parsed.Invalid<>(s.errors);
    }

    private Optional<Rollout.ModuleRollout> module(JsonNode m, String path) {
        if (m == null || !m.isObject()) {
            error(path, m, "an object with mode and customers");
            return Optional.empty();
        }
        knownKeys(m, path, MODULE_KEYS);
        Optional<Rollout.Mode> mode = m.has("mode") ? modeOf(m, path, true) : Optional.of(Rollout.Mode.LUA);
        Map<String, Rollout.Mode> overrides = new LinkedHashMap<>();
        JsonNode cs = m.get("customers");
        if (cs != null) {
            if (!cs.isObject()) {
                error(path + ".customers", cs, "an object of modes by customer name");
            } else {
                for (Map.Entry<String, JsonNode> c : cs.properties()) {
                    String cPath = path + ".customers." + c.getKey();
                    if (!customers.contains(c.getKey())) {
                        error(cPath, c.getValue(), "a customer of the config");
                        continue;
                    }
                    mode(c.getValue(), cPath).ifPresent(x -> overrides.put(c.getKey(), x));
                }
            }
        }
        Optional<Rollout.RollbackPolicy> rollback = m.has("rollback")
                ? rollback(m.get("rollback"), path + ".rollback") : Optional.empty();
        List<Rollout.Mode> steps = new ArrayList<>();
        JsonNode st = m.get("steps");
        if (st != null) {
            if (!st.isArray()) {
                error(path + ".steps", st, "an array of modes");
            } else {
                for (int i = 0; i < st.size(); i++) {
                    mode(st.get(i), path + ".steps[" + i + "]").ifPresent(steps::add);
                }
            }
        }
        long stepSeconds = integer(m.get("step_s"), path + ".step_s", 1, 86_400 * 30, 300);
        if (!steps.isEmpty() && !m.has("rollback")) {
            error(path + ".steps", st, "steps together with rollback thresholds (promotion advances only while "
                    + "the checks hold)");
        }
        return mode.map(x -> new Rollout.ModuleRollout(x, overrides, rollback, steps, stepSeconds));
    }

    /** A mode: a name, or an object with mode, percent and key. */
    private Optional<Rollout.Mode> mode(JsonNode n, String path) {
        if (n != null && n.isTextual()) {
            return name(n, path);
        }
        if (n == null || !n.isObject()) {
            error(path, n, MODE_NAMES + ", as a name or an object with mode, percent and key");
            return Optional.empty();
        }
        knownKeys(n, path, MODE_KEYS);
        return modeOf(n, path, false);
    }

    /** The mode named by {@code o.mode}, with its percent and key read from {@code o}. */
    private Optional<Rollout.Mode> modeOf(JsonNode o, String path, boolean moduleLevel) {
        JsonNode name = o.get("mode");
        if (name != null && name.isObject() && moduleLevel) {
            return mode(name, path + ".mode");
        }
        if (name == null || !name.isTextual()) {
            error(path + ".mode", name, MODE_NAMES);
            return Optional.empty();
        }
        String modeName = name.textValue();
        for (String k : CANARY_KEYS) {
            if (o.has(k) && !modeName.equals("canary")) {
                error(path + "." + k, o.get(k), "no " + k + " outside canary mode");
            }
        }
        for (String k : SHADOW_KEYS) {
            if (o.has(k) && !modeName.equals("shadow")) {
                error(path + "." + k, o.get(k), "no " + k + " outside shadow mode");
            }
        }
        if (modeName.equals("shadow")) {
            return shadow(o, path);
        }
        if (!modeName.equals("canary")) {
            return name(name, path + ".mode");
        }
        long percent = integer(o.get("percent"), path + ".percent", 0, 100, -1);
        Optional<Rollout.CanaryKey> key = key(o.get("key"), path + ".key");
        if (percent < 0 || key.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Rollout.Mode.Canary((int) percent, key.get()));
    }

    private Optional<Rollout.Mode> shadow(JsonNode o, String path) {
        int before = errors.size();
        JsonNode serve = o.get("serve");
        Rollout.Mode.Serve side = Rollout.Mode.Serve.LUA;
        if (serve != null) {
            if (serve.isTextual() && serve.textValue().equals("java")) {
                side = Rollout.Mode.Serve.JAVA;
            } else if (!(serve.isTextual() && serve.textValue().equals("lua"))) {
                error(path + ".serve", serve, "lua or java (the side that serves; the other is the shadow)");
            }
        }
        OptionalDouble sample = rate(o.get("sample"), path + ".sample", 1.0);
        OptionalDouble cpu = rate(o.get("max_cpu_share"), path + ".max_cpu_share", 1.0);
        List<String> redact = new ArrayList<>();
        JsonNode r = o.get("redact");
        if (r != null) {
            if (!r.isArray()) {
                error(path + ".redact", r, "an array of header names");
            } else {
                for (int i = 0; i < r.size(); i++) {
                    if (r.get(i).isTextual() && token(r.get(i).textValue())) {
                        redact.add(r.get(i).textValue().toLowerCase(java.util.Locale.ROOT));
                    } else {
                        error(path + ".redact[" + i + "]", r.get(i), "a header name");
                    }
                }
            }
        }
        if (errors.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new Rollout.Mode.Shadow(side, sample.orElse(1.0), cpu.orElse(0.1), redact));
    }

    private Optional<Rollout.Mode> name(JsonNode n, String path) {
        Optional<Rollout.Mode> m = Rollout.Mode.parse(n.textValue());
        if (m.isEmpty()) {
            error(path, n, switch (n.textValue()) {
                case "canary" -> "canary as an object with percent and key";
                case "shadow" -> "shadow as an object with serve, sample and max_cpu_share";
                default -> MODE_NAMES;
            });
        }
        return m;
    }

    private Optional<Rollout.CanaryKey> key(JsonNode n, String path) {
        String expected = "client, customer, header:<Name> or cookie:<name>";
        if (n == null) {
            return Optional.of(new Rollout.CanaryKey.Client());
        }
        if (!n.isTextual()) {
            error(path, n, expected);
            return Optional.empty();
        }
        String s = n.textValue();
        if (s.equals("client")) {
            return Optional.of(new Rollout.CanaryKey.Client());
        }
        if (s.equals("customer")) {
            return Optional.of(new Rollout.CanaryKey.Customer());
        }
        if (s.startsWith("header:") && token(s.substring(7))) {
            return Optional.of(new Rollout.CanaryKey.Header(s.substring(7)));
        }
        if (s.startsWith("cookie:") && token(s.substring(7))) {
            return Optional.of(new Rollout.CanaryKey.Cookie(s.substring(7)));
        }
        error(path, n, expected);
        return Optional.empty();
    }

    /** An HTTP token (header or cookie name): non-empty, visible ASCII without separators. */
    private static boolean token(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private Optional<Rollout.RollbackPolicy> rollback(JsonNode n, String path) {
        if (n == null || !n.isObject()) {
            error(path, n, "an object of thresholds: " + String.join(", ", ROLLBACK_KEYS));
            return Optional.empty();
        }
        knownKeys(n, path, ROLLBACK_KEYS);
        int before = errors.size();
        long window = integer(n.get("window_s"), path + ".window_s", 1, 86_400, 60);
        long minCalls = integer(n.get("min_calls"), path + ".min_calls", 1, 1_000_000_000L, 20);
        OptionalDouble fallback = rate(n.get("max_fallback_rate"), path + ".max_fallback_rate", 1.0);
        OptionalDouble exception = rate(n.get("max_exception_rate"), path + ".max_exception_rate", 1.0);
        OptionalDouble latency = rate(n.get("max_latency_ratio"), path + ".max_latency_ratio", 1000.0);
        OptionalDouble mismatch = rate(n.get("max_mismatch_rate"), path + ".max_mismatch_rate", 1.0);
        if (errors.size() > before) {
            return Optional.empty();
        }
        if (fallback.isEmpty() && exception.isEmpty() && latency.isEmpty() && mismatch.isEmpty()) {
            error(path, n, "at least one of max_fallback_rate, max_exception_rate, max_latency_ratio, "
                    + "max_mismatch_rate");
            return Optional.empty();
        }
        return Optional.of(new Rollout.RollbackPolicy(window, minCalls, fallback, exception, latency, mismatch));
    }

    private OptionalDouble rate(JsonNode n, String path, double max) {
        if (n == null) {
            return OptionalDouble.empty();
        }
        if (!n.isNumber() || n.doubleValue() < 0 || n.doubleValue() > max || Double.isNaN(n.doubleValue())) {
            error(path, n, "a number from 0 to " + (max == 1.0 ? "1" : "1000"));
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(n.doubleValue());
    }

    /** An integer in [min, max], {@code dflt} when absent; -1 (with an error) when wrong or required. */
    private long integer(JsonNode n, String path, long min, long max, long dflt) {
        if (n == null && dflt >= 0) {
            return dflt;
        }
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < min
                || n.longValue() > max) {
            error(path, n, "an integer from " + min + " to " + max);
            return -1;
        }
        return n.longValue();
    }

    private void knownKeys(JsonNode n, String path, List<String> known) {
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (!known.contains(e.getKey())) {
                error(path + "." + e.getKey(), e.getValue(), "a known key: " + String.join(", ", known));
            }
        }
    }

    private void error(String path, JsonNode value, String expected) {
        errors.add(new ConfigError(path, value == null || value.isMissingNode() ? "missing" : value.toString(),
                expected));
    }

    /** A mode as JSON for the admin API and the audit log (the syntax this class reads). */
    public static String json(Rollout.Mode m) {
        return switch (m) {
            case Rollout.Mode.Lua l -> "\"lua\"";
            case Rollout.Mode.Java j -> "\"java\"";
            case Rollout.Mode.Canary c -> "{\"mode\":\"canary\",\"percent\":" + c.percent() + ",\"key\":\""
                    + c.key().configName().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
            case Rollout.Mode.Shadow sh -> "{\"mode\":\"shadow\",\"serve\":\"" + sh.serve().configName()
                    + "\",\"sample\":" + sh.sample()
                    + ",\"max_cpu_share\":" + sh.maxCpuShare() + (sh.redact().isEmpty() ? ""
                    : ",\"redact\":[\"" + String.join("\",\"", sh.redact()) + "\"]") + "}";
        };
    }
}
