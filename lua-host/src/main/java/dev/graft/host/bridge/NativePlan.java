package dev.graft.host.bridge;

import static java.util.Objects.requireNonNull;

import dev.graft.bridge.Phase;
import dev.graft.bridge.StageModule;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.exchange.Exchange;
import dev.graft.host.lua.ngx.NginxVariables;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the native path needs of one config generation, computed once: host names to
 * customers (as legacy-scripts/pipeline.lua's init builds them), and for each customer whose
 * every stage is served by Java, its stages per phase in pipeline order (a module runs for a
 * customer when the customer has settings for it, as in the driver).
 *
 * @param hostIndex  normalised host name to customer
 * @param natives    the customers whose whole pipeline is Java, with their stages
 * @param anyJava    whether the rollout serves any module from Java (if not, the Lua driver
 *                   serves every request exactly as before the bridge)
 */
record NativePlan(Map<String, String> hostIndex, Map<String, CustomerPlan> natives, boolean anyJava) {

    NativePlan {
        hostIndex = Map.copyOf(hostIndex);
        natives = Map.copyOf(natives);
    }

    /** One stage of a native customer. */
    record Step(String module, StageModule<?> stage, Object config) {}

    /** A native customer's stages, per phase, and the modules they are (for the live mode check). */
    record CustomerPlan(Map<Phase, List<Step>> phases, boolean filtersBody, List<String> modules) {
        List<Step> steps(Phase p) {
            return phases.getOrDefault(p, List.of());
        }
    }

    static NativePlan of(GraftConfig config, ModuleBindings bindings) {
        requireNonNull(config, "config");
        requireNonNull(bindings, "bindings");
        Map<String, String> hosts = new HashMap<>();
        Map<String, CustomerPlan> natives = new HashMap<>();
        for (Map.Entry<String, GraftConfig.CustomerConfig> c : config.customers().entrySet()) {
            String customer = c.getKey();
            for (String h : c.getValue().hosts()) {
                normalizeHost(h).ifPresent(n -> hosts.put(n, customer));
            }
            Map<Phase, List<Step>> phases = new EnumMap<>(Phase.class);
            List<String> modules = new ArrayList<>();
            boolean allJava = true;
            for (GraftConfig.PipelineStage stage : config.pipeline()) {
                if (!c.getValue().modules().containsKey(stage.module())) {
                    continue;
                }
                Optional<ModuleBindings.Binding> b = bindings.find(stage.module());
                Optional<Object> bound = b.flatMap(x -> x.config(customer));
                if (bound.isEmpty()) {
                    allJava = false;
                    break;
                }
                modules.add(stage.module());
                for (Phase p : Phase.values()) {
                    if (b.get().module().phases().contains(p)) {
                        phases.computeIfAbsent(p, k -> new ArrayList<>())
                                .add(new Step(stage.module(), b.get().module(), bound.get()));
                    }
                }
            }
            if (allJava) {
                Map<Phase, List<Step>> frozen = new EnumMap<>(Phase.class);
                phases.forEach((p, l) -> frozen.put(p, List.copyOf(l)));
                natives.put(customer, new CustomerPlan(frozen, frozen.containsKey(Phase.BODY_FILTER),
                        List.copyOf(modules)));
            }
        }
        return new NativePlan(hosts, natives, !bindings.modules().isEmpty());
    }

    /**
     * The customer of {@code ex}, exactly as pipeline.lua's resolve_customer: the first Host
     * header (else {@code $host}), normalised, looked up.
     */
    Optional<String> customer(Exchange ex) {
        String host = ex.requestHeaders().get(HttpHeaderNames.HOST);
        if (host == null || host.isEmpty()) {
            host = NginxVariables.host(ex);
        }
        return normalizeHost(host).map(hostIndex::get);
    }

    /** Whether {@code host} is its own normal form: no upper case, port, trailing dot or IPv6 literal. */
    private static boolean plain(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if ((c >= 'A' && c <= 'Z') || c == ':' || c == '[') {
                return false;
            }
        }
        return host.charAt(host.length() - 1) != '.';
    }

    /** pipeline.lua's normalize_host: lower case, port stripped, trailing dot removed; IPv6 literals kept. */
    static Optional<String> normalizeHost(String host) {
        if (host == null || host.isEmpty()) {
            return Optional.empty();
        }
        if (plain(host)) {
            return Optional.of(host); // the usual Host: already in the form the index holds
        }
        // Lua's string.lower on bytes: ASCII letters only
        StringBuilder b = new StringBuilder(host.length());
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        String h = b.toString();
        if (h.charAt(0) == '[') {
            int close = h.indexOf(']', 1);
            return close < 0 ? Optional.empty() : Optional.of(h.substring(0, close + 1));
        }
        int colon = h.indexOf(':');
        if (colon >= 0) {
            h = h.substring(0, colon);
        }
        if (!h.isEmpty() && h.charAt(h.length() - 1) == '.') {
            h = h.substring(0, h.length() - 1);
        }
        return h.isEmpty() ? Optional.empty() : Optional.of(h);
    }
}
