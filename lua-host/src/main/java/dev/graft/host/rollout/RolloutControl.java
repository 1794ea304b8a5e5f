package dev.graft.host.rollout;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.host.admin.AdminHandler;
import dev.graft.host.admin.AdminResponse;
import dev.graft.host.admin.AdminRoute;
import dev.graft.host.config.ConfigError;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.config.Rollout;
import dev.graft.host.config.RolloutSyntax;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The rollout's operations side for one server: the {@link LiveRollout} mode table, the
 * {@link RollbackMonitor} and the {@link RolloutAudit}, and their admin endpoints:
 *
 * <ul>
 *   <li>{@code GET /rollout}: each module's live rollout, its configured one, its last window's
 *       counts and rates, its promotion step, and the recent rollbacks (JSON);</li>
 *   <li>{@code PUT /rollout/<module>} (token): a module rollout in the config's syntax,
 *       validated like config; applied as one atomic swap of the live table when the running
 *       generation already binds every customer it serves from Java, else through a soft
 *       reload of the running config with the new rollout (which binds and checks the Java
 *       settings first, and changes nothing when refused); audited;</li>
 *   <li>{@code GET /rollout/audit}: the audit entries kept in memory.</li>
 * </ul>
 */
public final class RolloutControl implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final LiveRollout live;
    private final RolloutAudit audit;
    private final RollbackMonitor monitor;
    private volatile Rollout expectedFromPut;

    /** What the control needs of the server. */
    public interface Host {
        /** The running config generation. */
        GraftConfig running();

        /** Soft-reloads {@code next}; empty when applied, else why not. */
        Optional<String> reloadWith(GraftConfig next);
    }

    private RolloutControl(LiveRollout live, RolloutAudit audit, RollbackMonitor monitor) {
        this.live = live;
        this.audit = audit;
        this.monitor = monitor;
    }

    /**
     * A control whose live table starts as {@code initial}, its monitor evaluating every
     * {@code tickMillis} (0: not started; tests call {@link RollbackMonitor#evaluate}).
     */
    public static RolloutControl start(Rollout initial, MeterRegistry registry, Clock clock, Optional<Path> auditFile,
            long tickMillis) {
        LiveRollout live = new LiveRollout(requireNonNull(initial, "initial"), registry);
        RolloutAudit audit = new RolloutAudit(auditFile, clock);
        RollbackMonitor monitor = new RollbackMonitor(live, audit, clock, registry);
        if (tickMillis > 0) {
            monitor.start(tickMillis);
        }
        return new RolloutControl(live, audit, monitor);
    }

    public LiveRollout live() {
        return live;
    }

    public RollbackMonitor monitor() {
        return monitor;
    }

    public RolloutAudit audit() {
        return audit;
    }

    /** A reload applied {@code next}'s rollout: it replaces the live table; changed modules are audited. */
    public void reloaded(Rollout next) {
        Rollout before = live.set(next);
        monitor.resetAll();
        if (next.equals(expectedFromPut)) {
            return; // the PUT that asked for this reload audits it
        }
        Set<String> modules = new LinkedHashSet<>(before.modules().keySet());
        modules.addAll(next.modules().keySet());
        for (String m : modules) {
            if (!Objects.equals(before.modules().get(m), next.modules().get(m))) {
                audit.record("reload", m, json(before, m), json(next, m), "config reload");
            }
        }
    }

    /** The admin routes, for the pipeline's {@code modules}. */
    public List<AdminRoute> routes(Set<String> modules, String token, Host host) {
        requireNonNull(modules, "modules");
        requireNonNull(token, "token");
        requireNonNull(host, "host");
        String tokenId = "token:" + tokenId(token);
        List<AdminRoute> routes = new ArrayList<>();
        routes.add(AdminRoute.read(HttpMethod.GET, "/rollout", r -> AdminResponse.json(200, state(host).toString())));
        routes.add(AdminRoute.read(HttpMethod.GET, "/rollout/audit", r -> {
            ObjectNode o = JSON.createObjectNode();
            o.set("entries", audit.entries());
            return AdminResponse.json(200, o.toString());
        }));
        for (String m : modules) {
            routes.add(AdminRoute.mutating(HttpMethod.PUT, "/rollout/" + m, r -> put(m, r, tokenId, host)));
        }
        routes.add(AdminRoute.read(HttpMethod.GET, "/shadow/mismatches", r -> {
            ObjectNode o = JSON.createObjectNode();
            ArrayNode a = o.putArray("mismatches");
            live.shadow().mismatches().forEach(m -> a.add(mismatchJson(m)));
            return AdminResponse.json(200, o.toString());
        }));
        routes.add(AdminRoute.read(HttpMethod.GET, "/shadow/mismatches/export", r -> {
            String module = new io.netty.handler.codec.http.QueryStringDecoder(r.uri()).parameters()
                    .getOrDefault("module", List.of()).stream().findFirst().orElse("");
            if (module.isEmpty()) {
                return AdminResponse.error(400, "module: missing (expected: ?module=<name>)");
            }
            ObjectNode o = JSON.createObjectNode();
            o.put("module", module);
            ArrayNode cases = o.putArray("cases");
            live.shadow().mismatches().stream().filter(m -> m.module().equals(module))
                    .forEach(m -> cases.add(ShadowCases.legacyCase(m, host.running())));
            return AdminResponse.json(200, o.toString());
        }));
        return routes;
    }

    private synchronized AdminResponse put(String module, FullHttpRequest request, String tokenId, Host host) {
        JsonNode body;
        try {
            body = JSON.readTree(request.content().toString(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            return AdminResponse.error(400, "body: not JSON (expected: a module rollout object)");
        }
        GraftConfig running = host.running();
        Rollout.ModuleRollout mr;
        switch (RolloutSyntax.module(module, body, running.customers().keySet())) {
            case RolloutSyntax.Parsed.Ok<Rollout.ModuleRollout> ok -> mr = ok.value();
            case RolloutSyntax.Parsed.Invalid<Rollout.ModuleRollout> bad -> {
                return refused(bad.errors().stream().map(ConfigError::message).toList());
            }
        }
        String remote = request.headers().get(AdminHandler.REMOTE_HEADER, "unknown");
        String who = tokenId + " from " + remote;
        Rollout before = live.current();
        Rollout next = before.with(module, mr);
        String applied;
        if (needsRebind(running, module, mr)) {
            expectedFromPut = next;
            Optional<String> refused;
            try {
                refused = host.reloadWith(running.withRollout(next));
            } finally {
                expectedFromPut = null;
            }
            if (refused.isPresent()) {
                return refused(List.of(refused.get()));
            }
            applied = "reload";
        } else {
            live.update(t -> t.with(module, mr));
            applied = "live";
        }
        monitor.reset(module);
        audit.record(who, module, json(before, module), RolloutJson.module(mr), "PUT /rollout/" + module
                + " (" + applied + ")");
        ObjectNode o = JSON.createObjectNode();
        o.put("module", module).put("applied", applied);
        o.set("rollout", tree(RolloutJson.module(mr)));
        return AdminResponse.json(200, o.toString());
    }

    /** Whether {@code mr} serves Java for a customer whose settings the running generation did not bind. */
    private static boolean needsRebind(GraftConfig running, String module, Rollout.ModuleRollout mr) {
        Rollout.ModuleRollout bound = running.rollout().modules().get(module);
        for (Map.Entry<String, GraftConfig.CustomerConfig> c : running.customers().entrySet()) {
            if (!c.getValue().modules().containsKey(module)) {
                continue;
            }
            if (mr.bindsJava(c.getKey()) && (bound == null || !bound.bindsJava(c.getKey()))) {
                return true;
            }
        }
        return false;
    }

    private ObjectNode state(Host host) {
        Rollout now = live.current();
        Rollout configured = host.running().rollout();
        Map<String, RollbackMonitor.Window> windows = monitor.windows();
        Map<String, RollbackMonitor.Progress> progress = monitor.progress();
        ObjectNode o = JSON.createObjectNode();
        ObjectNode modules = o.putObject("modules");
        Set<String> names = new java.util.TreeSet<>(now.modules().keySet());
        names.addAll(configured.modules().keySet());
        for (String m : names) {
            ObjectNode mo = modules.putObject(m);
            mo.set("live", tree(json(now, m)));
            mo.set("configured", tree(json(configured, m)));
            RollbackMonitor.Window w = windows.get(m);
            if (w != null) {
                ObjectNode wo = mo.putObject("window");
                wo.put("seconds", w.seconds()).put("java_calls", w.totals().javaCalls())
                        .put("lua_calls", w.totals().luaCalls()).put("fallbacks", w.totals().fallbacks())
                        .put("exceptions", w.totals().exceptions()).put("fallback_rate", w.totals().fallbackRate())
                        .put("exception_rate", w.totals().exceptionRate())
                        .put("shadow_runs", w.totals().shadowRuns())
                        .put("shadow_mismatch_rate", w.totals().mismatchRate());
                double ratio = w.totals().latencyRatio();
                if (!Double.isNaN(ratio)) {
                    wo.put("latency_ratio", ratio);
                }
                if (w.totals().luaCalls() > 0) {
                    wo.put("lua_mean_us", w.totals().luaNanos() / 1000.0 / w.totals().luaCalls());
                }
                if (w.totals().javaCalls() > 0) {
                    wo.put("java_mean_us", w.totals().javaNanos() / 1000.0 / w.totals().javaCalls());
                }
            }
            RollbackMonitor.Progress p = progress.get(m);
            Rollout.ModuleRollout mr = now.modules().get(m);
            if (mr != null && !mr.steps().isEmpty()) {
                mo.putObject("promotion").put("step", p == null ? 0 : p.step() + 1).put("of", mr.steps().size())
                        .put("stopped_by_rollback", p != null && p.rolledBack());
            }
        }
        ArrayNode rollbacks = o.putArray("rollbacks");
        for (RollbackMonitor.Event e : monitor.events()) {
            rollbacks.addObject().put("time", e.time().toString()).put("module", e.module()).put("check", e.check())
                    .put("value", e.value()).put("threshold", e.threshold()).set("from", tree(e.from()));
        }
        return o;
    }

    private static ObjectNode mismatchJson(ShadowLab.ShadowMismatch m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("time", m.time().toString()).put("module", m.module()).put("customer", m.customer())
                .put("phase", m.phase()).put("request_id", m.requestId()).put("served", m.served());
        ObjectNode req = o.putObject("request");
        req.put("method", m.request().method()).put("target", m.request().target()).put("client", m.request().client());
        ArrayNode hs = req.putArray("headers");
        m.request().headers().forEach(h -> hs.addArray().add(h.get(0)).add(h.get(1)));
        ArrayNode diffs = o.putArray("diffs");
        m.diffs().forEach(d -> diffs.addObject().put("path", d.path()).put("lua", d.lua()).put("java", d.java()));
        return o;
    }

    private static String json(Rollout r, String module) {
        Rollout.ModuleRollout mr = r.modules().get(module);
        return mr == null ? "{\"mode\":\"lua\"}" : RolloutJson.module(mr);
    }

    private static AdminResponse refused(List<String> errors) {
        ObjectNode o = JSON.createObjectNode();
        o.put("applied", false);
        errors.forEach(o.putArray("errors")::add);
        return AdminResponse.json(422, o.toString());
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rollout JSON of our own making does not parse: " + json, e);
        }
    }

    private static String tokenId(String token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public void close() {
        monitor.close();
        live.shadow().close();
    }
}
