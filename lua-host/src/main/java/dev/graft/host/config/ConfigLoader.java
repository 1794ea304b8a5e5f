package dev.graft.host.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.host.config.GraftConfig.AdminConfig;
import dev.graft.host.config.GraftConfig.CustomerConfig;
import dev.graft.host.config.GraftConfig.Limits;
import dev.graft.host.config.GraftConfig.Listener;
import dev.graft.host.config.GraftConfig.PipelineStage;
import dev.graft.host.config.GraftConfig.Server;
import dev.graft.host.config.GraftConfig.UpstreamConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Graft config file (JSON, snake_case keys; the shape is in legacy-scripts/README.md)
 * into a {@link GraftConfig}, checking every field. It reports every error it finds, each
 * naming the JSON path, the value found and the value expected; it throws only for bugs.
 *
 * <p>Defaults, in one place: admin on 127.0.0.1:9090 without a token (so no mutating admin
 * calls), {@code scripts} ".", upstream timeouts connect 2000 ms, read 30000 ms, idle 60000 ms,
 * 64 idle connections per event loop, server weight 1, and {@link Limits#DEFAULTS}.
 */
public final class ConfigLoader {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    static final List<String> ROOT_KEYS = List.of(
            "listen", "admin", "scripts", "default_upstream", "pipeline", "shared_dicts",
            "upstreams", "customers", "limits", "lua", "rollout", "record", "logging");
    private static final List<String> LISTENER_KEYS = List.of("host", "port");
    private static final List<String> ADMIN_KEYS = List.of("listen", "token");
    private static final List<String> STAGE_KEYS = List.of("module", "reads_body");
    private static final List<String> UPSTREAM_KEYS = List.of(
            "servers", "connect_timeout_ms", "read_timeout_ms", "idle_timeout_ms", "max_idle_per_loop");
    private static final List<String> SERVER_KEYS = List.of("address", "weight");
    private static final List<String> CUSTOMER_KEYS = List.of("hosts", "modules");
    private static final List<String> LIMIT_KEYS = List.of(
            "max_initial_line_bytes", "max_header_bytes", "max_header_count", "max_buffered_body",
            "client_idle_timeout_ms");
    private static final List<String> LUA_KEYS = List.of("instruction_budget");

    private static final Listener DEFAULT_ADMIN = new Listener("127.0.0.1", 9090);
    private static final long MAX_TIMEOUT_MS = 3_600_000;
    private static final long GIB = 1L << 30;

    private ConfigLoader() {}

    /** Reads and checks the file; {@code scripts} is resolved against the file's folder. */
    public static ConfigResult load(Path file) {
        requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return invalid(file.toString(), "missing", "a readable JSON config file");
        } catch (IOException e) {
            return invalid(file.toString(), "unreadable, " + e, "a readable JSON config file");
        }
        Path base = file.toAbsolutePath().normalize().getParent();
        return parse(text, base, file.toString());
    }

    /**
     * Checks config text; {@code baseDir} is the folder {@code scripts} is relative to and
     * {@code source} names the text in syntax errors.
     */
    public static ConfigResult parse(String json, Path baseDir, String source) {
        requireNonNull(json, "json");
        requireNonNull(baseDir, "baseDir");
        requireNonNull(source, "source");
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? source : source + ":" + at.getLineNr() + ":" + at.getColumnNr();
            String what = e.getOriginalMessage().lines().findFirst().orElse("unreadable");
            return invalid(where, what, "valid JSON");
        }
        if (root == null || root.isMissingNode()) {
            return invalid(source, "empty", "a JSON object");
        }
        return check(root, baseDir);
    }

    /** Checks a parsed tree; {@code baseDir} is the folder {@code scripts} is relative to. */
    public static ConfigResult check(JsonNode root, Path baseDir) {
        requireNonNull(root, "root");
        requireNonNull(baseDir, "baseDir");
        return new Checker(baseDir.toAbsolutePath().normalize()).root(root);
    }

    private static ConfigResult invalid(String path, String value, String expected) {
        return new ConfigResult.Invalid(List.of(new ConfigError(path, value, expected)));
    }

    /** One pass over one tree; collects errors instead of stopping at the first. */
    private static final class Checker {
        private final Path baseDir;
        private final List<ConfigError> errors = new ArrayList<>();
        /** Every module the pipeline names, valid or not, so customers are checked against the intent. */
        private final Set<String> declaredModules = new LinkedHashSet<>();
        private boolean pipelineListed;

        Checker(Path baseDir) {
            this.baseDir = baseDir;
        }

        ConfigResult root(JsonNode root) {
            if (!root.isObject()) {
                error("(root)", root, "a JSON object");
                return new ConfigResult.Invalid(errors);
            }
            ObjectNode o = (ObjectNode) root;
            knownKeys(o, "", ROOT_KEYS);
            Listener listen = listener(o.get("listen"), "listen", null);
            AdminConfig admin = admin(o.get("admin"));
            if (listen != null && admin != null && listen.port() != 0
                    && listen.port() == admin.listen().port() && listen.host().equals(admin.listen().host())) {
                error("admin.listen.port", o.path("admin").path("listen").path("port"),
                        "a port other than listen.port");
            }
            Path scripts = scripts(o.get("scripts"));
            Map<String, UpstreamConfig> upstreams = upstreams(o.get("upstreams"));
            String defaultUpstream = defaultUpstream(o.get("default_upstream"), upstreams);
            List<PipelineStage> pipeline = pipeline(o.get("pipeline"), scripts);
            Map<String, Long> dicts = sharedDicts(o.get("shared_dicts"));
            Map<String, CustomerConfig> customers = customers(o.get("customers"));
            customers.forEach((name, c) -> c.modules().forEach((module, settings) ->
                    upstreamReferences(settings, at(at(at("customers", name), "modules"), module), upstreams)));
            Limits limits = limits(o.get("limits"));
            long budget = lua(o.get("lua"));
            Rollout rollout = rollout(o.get("rollout"), o.get("customers"));
            errors.addAll(dev.graft.host.record.RecordSettings.check(o, baseDir));
            errors.addAll(dev.graft.host.log.LoggingSettings.check(o, baseDir));
            if (!errors.isEmpty()) {
                return new ConfigResult.Invalid(errors);
            }
            GraftConfig config = new GraftConfig(listen, admin, scripts, pipeline, upstreams,
                    customers, dicts, limits, o.deepCopy(), defaultUpstream, budget, rollout);
            // Java modules: every module in java mode has an implementation and accepts its settings
            List<ConfigError> bridge = dev.graft.host.bridge.ModuleBindings.check(config);
            return bridge.isEmpty() ? new ConfigResult.Valid(config) : new ConfigResult.Invalid(bridge);
        }

        /** The rollout section, read by {@link RolloutSyntax} (which the admin API's mode changes share). */
        private Rollout rollout(JsonNode n, JsonNode customers) {
            Set<String> names = new LinkedHashSet<>();
            if (customers != null && customers.isObject()) {
                customers.fieldNames().forEachRemaining(names::add);
            }
            return switch (RolloutSyntax.section(n, pipelineListed ? declaredModules : Set.of(), names)) {
                case RolloutSyntax.Parsed.Ok<Rollout> ok -> ok.value();
                case RolloutSyntax.Parsed.Invalid<Rollout> bad -> {
                    errors.addAll(bad.errors());
                    yield Rollout.ALL_LUA;
                }
            };
        }

        // --- sections

        private Listener listener(JsonNode n, String path, Listener dflt) {
            if (n == null && dflt != null) {
                return dflt;
            }
            if (!isObject(n, path, "an object with host and port")) {
                return null;
            }
            knownKeys(n, path, LISTENER_KEYS);
            String host = string(n.get("host"), at(path, "host"), "an IP address or host name");
            Long port = integer(n.get("port"), at(path, "port"), 0, 65535, null,
                    "a port from 1 to 65535, or 0 for any free port");
            return host == null || port == null ? null : new Listener(host, port.intValue());
        }

        private AdminConfig admin(JsonNode n) {
            if (n == null) {
                return new AdminConfig(DEFAULT_ADMIN, "");
            }
            if (!isObject(n, "admin", "an object with listen and token")) {
                return null;
            }
            knownKeys(n, "admin", ADMIN_KEYS);
            Listener listen = listener(n.get("listen"), "admin.listen", DEFAULT_ADMIN);
            String token = "";
            if (n.get("token") != null) {
                token = string(n.get("token"), "admin.token", "a non-empty token string");
            }
            return listen == null || token == null ? null : new AdminConfig(listen, token);
        }

        private Path scripts(JsonNode n) {
            String text = n == null ? "." : string(n, "scripts", "a folder, relative to the config file");
            if (text == null) {
                return null;
            }
            Path dir = baseDir.resolve(text).normalize();
            JsonNode shown = n == null ? JSON.getNodeFactory().textNode(text) : n;
            if (!Files.isDirectory(dir)) {
                error("scripts", shown, "a folder; " + dir + " is not one");
                return null;
            }
            if (!Files.isRegularFile(dir.resolve("pipeline.lua"))) {
                error("scripts", shown, "a folder with pipeline.lua; " + dir.resolve("pipeline.lua") + " does not exist");
                return null;
            }
            return dir;
        }

        private Map<String, UpstreamConfig> upstreams(JsonNode n) {
            Map<String, UpstreamConfig> out = new LinkedHashMap<>();
            if (!isObject(n, "upstreams", "an object of upstreams by name")) {
                return out;
            }
            if (n.isEmpty()) {
                error("upstreams", n, "at least one upstream");
            }
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                String path = at("upstreams", e.getKey());
                if (!isName(e.getKey())) {
                    error(path, e.getValue(), "a name of letters, digits, '-', '_' or '.'");
                }
                UpstreamConfig u = upstream(e.getValue(), path);
                if (u != null) {
                    out.put(e.getKey(), u);
                }
            }
            return out;
        }

        private UpstreamConfig upstream(JsonNode n, String path) {
            if (!isObject(n, path, "an object with servers")) {
                return null;
            }
            knownKeys(n, path, UPSTREAM_KEYS);
            List<Server> servers = new ArrayList<>();
            JsonNode list = n.get("servers");
            String sPath = at(path, "servers");
            if (list == null || !list.isArray() || list.isEmpty()) {
                error(sPath, list, "a non-empty list of {\"address\": \"host:port\", \"weight\": n}");
            } else {
                for (int i = 0; i < list.size(); i++) {
                    Server s = server(list.get(i), sPath + "[" + i + "]");
                    if (s != null) {
                        servers.add(s);
                    }
                }
            }
            Long connect = integer(n.get("connect_timeout_ms"), at(path, "connect_timeout_ms"), 1, MAX_TIMEOUT_MS, 2000L, null);
            Long read = integer(n.get("read_timeout_ms"), at(path, "read_timeout_ms"), 1, MAX_TIMEOUT_MS, 30_000L, null);
            Long idle = integer(n.get("idle_timeout_ms"), at(path, "idle_timeout_ms"), 1, MAX_TIMEOUT_MS, 60_000L, null);
            Long maxIdle = integer(n.get("max_idle_per_loop"), at(path, "max_idle_per_loop"), 0, 10_000, 64L, null);
            if (connect == null || read == null || idle == null || maxIdle == null
                    || list == null || servers.size() != list.size()) {
                return null;
            }
            return new UpstreamConfig(servers, connect, read, idle, maxIdle.intValue());
        }

        private Server server(JsonNode n, String path) {
            if (!isObject(n, path, "an object with address and weight")) {
                return null;
            }
            knownKeys(n, path, SERVER_KEYS);
            String aPath = at(path, "address");
            String address = string(n.get("address"), aPath, "\"host:port\"");
            Long weight = integer(n.get("weight"), at(path, "weight"), 1, 1000, 1L, null);
            if (address == null) {
                return null;
            }
            int colon = address.lastIndexOf(':');
            String host = colon < 0 ? "" : address.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port = colon < 0 ? -1 : parsePort(address.substring(colon + 1));
            if (host.isEmpty() || port < 1) {
                error(aPath, n.get("address"), "\"host:port\" with a port from 1 to 65535");
                return null;
            }
            return weight == null ? null : new Server(host, port, weight.intValue());
        }

        private String defaultUpstream(JsonNode n, Map<String, UpstreamConfig> upstreams) {
            String name = string(n, "default_upstream", "the name of an upstream");
            if (name != null && !upstreams.containsKey(name)) {
                error("default_upstream", n, "the name of an upstream: " + String.join(", ", upstreams.keySet()));
                return null;
            }
            return name;
        }

        private List<PipelineStage> pipeline(JsonNode n, Path scripts) {
            List<PipelineStage> out = new ArrayList<>();
            if (n == null || !n.isArray() || n.isEmpty()) {
                error("pipeline", n, "a non-empty list of module names or {\"module\", \"reads_body\"}");
                return out;
            }
            pipelineListed = true;
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < n.size(); i++) {
                String path = "pipeline[" + i + "]";
                JsonNode e = n.get(i);
                String module;
                boolean readsBody = false;
                JsonNode moduleNode = e;
                String modulePath = path;
                if (e.isObject()) {
                    knownKeys(e, path, STAGE_KEYS);
                    moduleNode = e.get("module");
                    modulePath = at(path, "module");
                    module = string(moduleNode, modulePath, "a module name");
                    JsonNode rb = e.get("reads_body");
                    if (rb != null && !rb.isBoolean()) {
                        error(at(path, "reads_body"), rb, "true or false");
                    } else if (rb != null) {
                        readsBody = rb.booleanValue();
                    }
                } else if (e.isTextual()) {
                    module = e.textValue();
                } else {
                    error(path, e, "a module name or {\"module\", \"reads_body\"}");
                    continue;
                }
                if (module == null) {
                    continue;
                }
                declaredModules.add(module);
                if (!isModuleName(module)) {
                    error(modulePath, moduleNode, "a module name: lower-case letters, digits and '_', starting with a letter");
                    continue;
                }
                Integer before = seen.putIfAbsent(module, i);
                if (before != null) {
                    error(modulePath, moduleNode, "a module not already in the pipeline (it is at pipeline[" + before + "])");
                    continue;
                }
                if (scripts != null) {
                    Path handler = scripts.resolve(module).resolve("handler.lua");
                    if (!Files.isRegularFile(handler)) {
                        error(modulePath, moduleNode, "a module folder with handler.lua; " + handler + " does not exist");
                        continue;
                    }
                }
                out.add(new PipelineStage(module, readsBody));
            }
            return out;
        }

        /**
         * Module settings are the modules' business, but a value under a key named
         * {@code upstream} or {@code default_upstream}, at any depth, names an upstream (the
         * router's routes, pools and default): a typo there would only show as a 502 at run time.
         */
        private void upstreamReferences(JsonNode n, String path, Map<String, UpstreamConfig> upstreams) {
            if (upstreams.isEmpty()) {
                return;
            }
            if (n.isObject()) {
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    String p = at(path, e.getKey());
                    JsonNode v = e.getValue();
                    boolean names = e.getKey().equals("upstream") || e.getKey().equals("default_upstream");
                    // null is how a case says "absent" (cjson.null on the Lua side)
                    if (names && !v.isNull() && (!v.isTextual() || !upstreams.containsKey(v.textValue()))) {
                        error(p, v, "the name of an upstream: " + String.join(", ", upstreams.keySet()));
                    } else if (!names) {
                        upstreamReferences(v, p, upstreams);
                    }
                }
            } else if (n.isArray()) {
                for (int i = 0; i < n.size(); i++) {
                    upstreamReferences(n.get(i), path + "[" + i + "]", upstreams);
                }
            }
        }

        private Map<String, Long> sharedDicts(JsonNode n) {
            Map<String, Long> out = new LinkedHashMap<>();
            if (n == null) {
                return out;
            }
            if (!isObject(n, "shared_dicts", "an object of sizes by dictionary name")) {
                return out;
            }
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                String path = at("shared_dicts", e.getKey());
                if (!isName(e.getKey())) {
                    error(path, e.getValue(), "a name of letters, digits, '-', '_' or '.'");
                    continue;
                }
                Long size = size(e.getValue(), path, null);
                if (size != null) {
                    out.put(e.getKey(), size);
                }
            }
            return out;
        }

        private Map<String, CustomerConfig> customers(JsonNode n) {
            Map<String, CustomerConfig> out = new LinkedHashMap<>();
            if (!isObject(n, "customers", "an object of customers by name")) {
                return out;
            }
            Map<String, String> hostOwner = new HashMap<>();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                String name = e.getKey();
                String path = at("customers", name);
                JsonNode c = e.getValue();
                if (name.isEmpty()) {
                    error(path, c, "a non-empty customer name");
                }
                if (!isObject(c, path, "an object with hosts and modules")) {
                    continue;
                }
                knownKeys(c, path, CUSTOMER_KEYS);
                List<String> hosts = hosts(c.get("hosts"), at(path, "hosts"), name, hostOwner);
                Map<String, ObjectNode> settings = moduleSettings(c.get("modules"), at(path, "modules"));
                if (hosts != null && settings != null) {
                    out.put(name, new CustomerConfig(hosts, settings));
                }
            }
            return out;
        }

        private List<String> hosts(JsonNode n, String path, String customer, Map<String, String> owner) {
            if (n == null || !n.isArray() || n.isEmpty()) {
                error(path, n, "a non-empty list of host names");
                return null;
            }
            List<String> out = new ArrayList<>();
            boolean ok = true;
            for (int i = 0; i < n.size(); i++) {
                String hPath = path + "[" + i + "]";
                JsonNode h = n.get(i);
                if (!h.isTextual() || !isHostName(h.textValue())) {
                    error(hPath, h, "a lower-case host name without a port");
                    ok = false;
                    continue;
                }
                String before = owner.putIfAbsent(h.textValue(), customer);
                if (before != null) {
                    error(hPath, h, before.equals(customer)
                            ? "a host name not already listed for this customer"
                            : "a host name not used by another customer; used by " + quote(before));
                    ok = false;
                    continue;
                }
                out.add(h.textValue());
            }
            return ok ? out : null;
        }

        private Map<String, ObjectNode> moduleSettings(JsonNode n, String path) {
            Map<String, ObjectNode> out = new LinkedHashMap<>();
            if (n == null) {
                return out;
            }
            if (!isObject(n, path, "an object of settings by module name")) {
                return null;
            }
            boolean ok = true;
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                String mPath = at(path, e.getKey());
                if (pipelineListed && !declaredModules.contains(e.getKey())) {
                    error(mPath, e.getValue(), "a module of the pipeline: " + String.join(", ", declaredModules));
                    ok = false;
                } else if (!e.getValue().isObject()) {
                    error(mPath, e.getValue(), "an object of the module's settings");
                    ok = false;
                } else {
                    out.put(e.getKey(), (ObjectNode) e.getValue());
                }
            }
            return ok ? out : null;
        }

        private Limits limits(JsonNode n) {
            Limits d = Limits.DEFAULTS;
            if (n == null) {
                return d;
            }
            if (!isObject(n, "limits", "an object of request limits")) {
                return null;
            }
            knownKeys(n, "limits", LIMIT_KEYS);
            Long line = integer(n.get("max_initial_line_bytes"), "limits.max_initial_line_bytes", 256, 1 << 20,
                    (long) d.maxInitialLineBytes(), null);
            Long header = integer(n.get("max_header_bytes"), "limits.max_header_bytes", 1024, 1 << 20,
                    (long) d.maxHeaderBytes(), null);
            Long count = integer(n.get("max_header_count"), "limits.max_header_count", 1, 10_000,
                    (long) d.maxHeaderCount(), null);
            Long body = size(n.get("max_buffered_body"), "limits.max_buffered_body", d.maxBufferedBodyBytes());
            Long idle = integer(n.get("client_idle_timeout_ms"), "limits.client_idle_timeout_ms", 1, MAX_TIMEOUT_MS,
                    d.clientIdleTimeoutMs(), null);
            if (line == null || header == null || count == null || body == null || idle == null) {
                return null;
            }
            return new Limits(line.intValue(), header.intValue(), count.intValue(), body, idle);
        }

        private long lua(JsonNode n) {
            long d = GraftConfig.DEFAULT_LUA_INSTRUCTION_BUDGET;
            if (n == null || !isObject(n, "lua", "an object with instruction_budget")) {
                return d;
            }
            knownKeys(n, "lua", LUA_KEYS);
            Long budget = integer(n.get("instruction_budget"), "lua.instruction_budget", 1000, 1_000_000_000_000L, d, null);
            return budget == null ? d : budget;
        }

        // --- values

        private boolean isObject(JsonNode n, String path, String expected) {
            if (n == null || !n.isObject()) {
                error(path, n, expected);
                return false;
            }
            return true;
        }

        private void knownKeys(JsonNode n, String path, List<String> known) {
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                if (!known.contains(e.getKey())) {
                    error(at(path, e.getKey()), e.getValue(), "a known key: " + String.join(", ", known));
                }
            }
        }

        private String string(JsonNode n, String path, String expected) {
            if (n == null || !n.isTextual() || n.textValue().isBlank()) {
                error(path, n, expected);
                return null;
            }
            return n.textValue();
        }

        /** An integer in [min, max]; {@code dflt} when absent (required when null). */
        private Long integer(JsonNode n, String path, long min, long max, Long dflt, String expected) {
            if (n == null && dflt != null) {
                return dflt;
            }
            String want = expected != null ? expected : "an integer from " + min + " to " + max;
            if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()
                    || n.longValue() < min || n.longValue() > max) {
                error(path, n, want);
                return null;
            }
            return n.longValue();
        }

        /** A size: bytes as an integer, or a string such as "512k", "10m", "1g". */
        private Long size(JsonNode n, String path, Long dflt) {
            if (n == null && dflt != null) {
                return dflt;
            }
            long bytes = -1;
            if (n != null && n.isIntegralNumber() && n.canConvertToLong()) {
                bytes = n.longValue();
            } else if (n != null && n.isTextual()) {
                bytes = parseSize(n.textValue());
            }
            if (bytes < 1 || bytes > 4 * GIB) {
                error(path, n, "a size from 1 byte to 4g: bytes, or a number with k, m or g (\"512k\", \"10m\")");
                return null;
            }
            return bytes;
        }

        private void error(String path, JsonNode value, String expected) {
            errors.add(new ConfigError(path, show(value), expected));
        }
    }

    // --- pure helpers

    private static String at(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String show(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "missing";
        }
        String s = n.toString();
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private static String quote(String s) {
        return JSON.getNodeFactory().textNode(s).toString();
    }

    static long parseSize(String text) {
        String t = text.trim();
        if (t.isEmpty()) {
            return -1;
        }
        long unit = switch (Character.toLowerCase(t.charAt(t.length() - 1))) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        if (digits.isEmpty() || digits.length() > 12 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(digits) * unit;
    }

    private static int parsePort(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        int port = Integer.parseInt(text);
        return port <= 65535 ? port : -1;
    }

    private static boolean isName(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128
                || c == '-' || c == '_' || c == '.');
    }

    private static boolean isModuleName(String s) {
        return !s.isEmpty() && s.charAt(0) >= 'a' && s.charAt(0) <= 'z'
                && s.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_');
    }

    private static boolean isHostName(String s) {
        return !s.isEmpty() && s.length() <= 253 && s.charAt(0) != '.' && s.charAt(s.length() - 1) != '.'
                && s.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                        || c == '-' || c == '.' || c == '_');
    }
}
