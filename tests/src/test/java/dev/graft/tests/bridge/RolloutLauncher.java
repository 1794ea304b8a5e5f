package dev.graft.tests.bridge;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.host.config.ConfigError;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.GraftServer;
import dev.graft.host.config.GraftConfig;
import dev.graft.tests.harness.ProxyLauncher;
import dev.graft.tests.harness.ProxyUnderTest;
import java.net.InetSocketAddress;
import java.util.Optional;
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
 * instead of losing every other case. Starts Graft in this process like GraftLauncher, keeping
 * the server so that the suite can read its bridge counters ({@link #bridgeCounters()}).
 */
public final class RolloutLauncher implements ProxyLauncher {

    private final String label;
    private final Set<String> javaModules;
    private GraftServer server;
    /** Case customer -> the error of each module that refused its settings. */
    private final Map<String, List<String>> refused = new LinkedHashMap<>();

    private final boolean perCustomerMix;

    public RolloutLauncher(String label, Set<String> javaModules) {
        this(label, javaModules, false);
    }

    /**
     * @param perCustomerMix when true, the customers (in name order) take turns: the first has
     *                       every module in Java (the native path), the second alternates Java
     *                       and Lua module by module (the driver with Java-backed handlers), the
     *                       third keeps every module on Lua; and so on
     */
    public RolloutLauncher(String label, Set<String> javaModules, boolean perCustomerMix) {
        this.label = requireNonNull(label, "label");
        this.javaModules = Set.copyOf(requireNonNull(javaModules, "javaModules"));
        this.perCustomerMix = perCustomerMix;
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
        if (perCustomerMix) {
            List<String> customers = new ArrayList<>();
            config.path("customers").fieldNames().forEachRemaining(customers::add);
            customers.sort(null);
            List<String> modules = new ArrayList<>(new java.util.TreeSet<>(javaModules));
            for (int i = 0; i < customers.size(); i++) {
                for (int j = 0; j < modules.size(); j++) {
                    boolean java = switch (i % 3) {
                        case 0 -> true;
                        case 1 -> j % 2 == 0;
                        default -> false;
                    };
                    if (!java) {
                        ((ObjectNode) rollout.get(modules.get(j)).get("customers")).put(customers.get(i), "lua");
                    }
                }
            }
        }
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
        ConfigResult loaded = ConfigLoader.check(config, workDir);
        if (!(loaded instanceof ConfigResult.Valid valid)) {
            return new Launch.Failed("Graft refused the config: " + loaded);
        }
        try {
            server = GraftServer.start(valid.config(), GraftServer.Options.defaults()
                    .withAdmin(new GraftConfig.Listener("127.0.0.1", 0)));
        } catch (GraftServer.StartFailed e) {
            return new Launch.Failed("GraftServer did not start: " + e.getMessage());
        }
        GraftServer running = server;
        return new Launch.Started(new ProxyUnderTest() {
            @Override public String name() { return "graft"; }
            @Override public InetSocketAddress address() { return running.proxyAddress(); }
            @Override public long logMark() { return 0; }
            @Override public String logSince(long mark) { return ""; }
            @Override public void close() { running.close(); }
        });
    }

    /** graft_native_requests_total of the running server (requests that entered no Lua driver). */
    public double nativeRequests() {
        if (server == null) {
            return 0;
        }
        return server.metrics().scrape().lines().filter(l -> l.startsWith("graft_native_requests_total "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.indexOf(' ') + 1))).sum();
    }

    /**
     * The bridge's counters of the running server (fallbacks by module and reason, exceptions
     * by module) as Prometheus lines with a non-zero value; empty before a launch.
     */
    public Optional<List<String>> bridgeCounters() {
        if (server == null) {
            return Optional.empty();
        }
        return Optional.of(server.metrics().scrape().lines()
                .filter(l -> l.startsWith("graft_stage_fallbacks_total{") || l.startsWith("graft_stage_exceptions_total{"))
                .filter(l -> !l.endsWith(" 0.0"))
                .toList());
    }
}
