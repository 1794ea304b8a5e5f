package dev.graft.host.admin;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.host.config.GraftConfig;
import io.netty.handler.codec.http.FullHttpRequest;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The {@code GET /status} document: version, uptime, where Graft listens, and a summary of the
 * running config (pipeline, customers and their hosts, upstreams, shared dicts).
 */
public final class StatusReport implements AdminRoute.Endpoint {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String version;
    private final Instant started;
    private final Clock clock;
    private final Map<String, String> runtime;
    private final Supplier<Live> live;

    /**
     * What may change while the process runs, read at each request.
     *
     * @param config     the running config
     * @param generation how many reloads it took to get there (0: the config of the start)
     * @param listeners  the bound addresses by role ({@code proxy}, {@code admin})
     */
    public record Live(GraftConfig config, int generation, Map<String, InetSocketAddress> listeners) {
        public Live {
            requireNonNull(config, "config");
            listeners = Map.copyOf(listeners);
        }
    }

    /**
     * @param runtime facts about the process fixed at start: transport, event loops, Java
     * @param live    the running config and listeners
     */
    public StatusReport(String version, Instant started, Clock clock, Map<String, String> runtime, Supplier<Live> live) {
        this.version = requireNonNull(version, "version");
        this.started = requireNonNull(started, "started");
        this.clock = requireNonNull(clock, "clock");
        this.runtime = Map.copyOf(requireNonNull(runtime, "runtime"));
        this.live = requireNonNull(live, "live");
    }

    @Override
    public AdminResponse handle(FullHttpRequest request) {
        return AdminResponse.json(200, document().toPrettyString());
    }

    /** The status as a JSON tree. */
    public ObjectNode document() {
        Live now = live.get();
        GraftConfig config = now.config();
        ObjectNode root = JSON.createObjectNode();
        root.put("version", version);
        root.put("started", started.toString());
        root.put("uptime_seconds", Math.max(0, clock.instant().getEpochSecond() - started.getEpochSecond()));
        ObjectNode ls = root.putObject("listeners");
        new TreeMap<>(now.listeners()).forEach((role, a) -> ls.put(role, a.getHostString() + ":" + a.getPort()));
        ObjectNode rt = root.putObject("runtime");
        new TreeMap<>(runtime).forEach(rt::put);
        ObjectNode cfg = root.putObject("config");
        cfg.put("generation", now.generation());
        cfg.put("scripts", config.scripts().toString());
        cfg.put("default_upstream", config.defaultUpstream());
        cfg.put("lua_instruction_budget", config.luaInstructionBudget());
        cfg.put("admin_token_set", !config.admin().token().isEmpty());
        ObjectNode ups = cfg.putObject("upstreams");
        new TreeMap<>(config.upstreams()).forEach((name, u) -> {
            ArrayNode servers = ups.putArray(name);
            u.servers().forEach(s -> servers.add(s.host() + ":" + s.port() + " weight " + s.weight()));
        });
        ObjectNode dicts = cfg.putObject("shared_dicts");
        new TreeMap<>(config.sharedDicts()).forEach(dicts::put);
        ArrayNode pipeline = root.putArray("pipeline");
        config.pipeline().forEach(s -> pipeline.add(s.readsBody() ? s.module() + " (reads body)" : s.module()));
        ObjectNode customers = root.putObject("customers");
        new TreeMap<>(config.customers()).forEach((name, c) -> {
            ObjectNode o = customers.putObject(name);
            ArrayNode hosts = o.putArray("hosts");
            c.hosts().forEach(hosts::add);
            ArrayNode modules = o.putArray("modules");
            config.pipeline().stream().map(GraftConfig.PipelineStage::module)
                    .filter(c.modules()::containsKey).forEach(modules::add);
        });
        return root;
    }
}
