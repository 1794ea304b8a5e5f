package dev.graft.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.bench.BenchHome;
import dev.graft.host.nginx.NginxConfigGenerator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The end-to-end load run: a fast nginx origin, then every configuration as its own process
 * (the empty pipeline, all-Lua, all-Java, half-and-half, and the nginx + lua-nginx-module peer),
 * all started at once and measured interleaved with wrk, so that each ratio compares runs made
 * side by side. Writes {@code load.md} (the tables) and {@code load.json} (every sample) to the
 * output folder.
 *
 * <p>Usage: {@code LoadBench --out DIR --jar BENCH.jar [--reps 3] [--seconds 8] [--warmup 10]
 * [--connections 32] [--rate-fraction 0.5] [--configs empty,lua,java,mix,nginx]}.
 */
public final class LoadBench {

    static final JsonMapper JSON = new JsonMapper();
    static final List<String> JVM_FLAGS = List.of("-XX:+UseParallelGC", "-Xms256m", "-Xmx256m",
            "-XX:ActiveProcessorCount=1", "--enable-native-access=ALL-UNNAMED");

    private final Options o;
    private final List<String> commands = new ArrayList<>();
    private final List<Target> targets = new ArrayList<>();
    private final Map<String, String> unavailable = new LinkedHashMap<>();
    private Process origin;

    record Options(Path out, Path jar, int reps, int seconds, int warmup, int connections, double rateFraction,
                   List<String> configs) {}

    private LoadBench(Options o) {
        this.o = o;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Options o = new Options(Path.of(a.getOrDefault("out", "bench/target-bench/results")).toAbsolutePath(),
                Path.of(a.getOrDefault("jar", "bench/target-bench/benchmarks.jar")).toAbsolutePath(),
                Integer.parseInt(a.getOrDefault("reps", "3")), Integer.parseInt(a.getOrDefault("seconds", "8")),
                Integer.parseInt(a.getOrDefault("warmup", "10")), Integer.parseInt(a.getOrDefault("connections", "32")),
                Double.parseDouble(a.getOrDefault("rate-fraction", "0.5")),
                List.of(a.getOrDefault("configs", "empty,lua,java,mix,nginx").split(",")));
        LoadBench bench = new LoadBench(o);
        Runtime.getRuntime().addShutdownHook(new Thread(bench::stopAll, "stop-load-targets"));
        try {
            bench.run();
        } finally {
            bench.stopAll();
        }
    }

    // ------------------------------------------------------------------ the run

    private void run() throws Exception {
        Files.createDirectories(o.out());
        int[] originPorts = {freePort(), freePort(), freePort()};
        startOrigin(originPorts);
        ObjectNode base = demoConfig(originPorts);
        for (String name : o.configs()) {
            Optional<String> why = start(name, base);
            why.ifPresent(w -> {
                unavailable.put(name, w);
                log(name + ": not available yet: " + w);
            });
        }
        Path plain = script("mix.lua", RequestMix.wrkScript(0, false));
        Path counting = script("mix-statuses.lua", RequestMix.wrkScript(0, true));

        // each target once: JIT warm-up, then the statuses it answers the mix with
        Map<String, JsonNode> statuses = new LinkedHashMap<>();
        for (Target t : targets) {
            wrk(t, plain, o.warmup(), false);
            WrkResult v = wrk(t, counting, 3, true);
            statuses.put(t.name(), v.statuses());
            log(t.name() + ": statuses " + v.statuses());
        }

        // saturation, interleaved: rep 1 of every target, then rep 2 ...
        Map<String, List<Sample>> saturation = new LinkedHashMap<>();
        for (int rep = 0; rep < o.reps(); rep++) {
            for (Target t : targets) {
                Sample s = measure(t, plain, o.seconds());
                saturation.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(s);
                log(String.format(Locale.ROOT, "saturation %s rep %d: %.0f rps, %.1f us CPU/req, %.0f B/req, p99 %d us",
                        t.name(), rep + 1, s.rps(), s.cpuMicrosPerRequest(), s.allocPerRequest(), s.wrk().p99()));
            }
        }

        // fixed offered load: a share of the slowest target's median saturation throughput
        double slowest = saturation.values().stream().mapToDouble(l -> Stats.median(l.stream().mapToDouble(Sample::rps)))
                .min().orElse(1000);
        double rate = Math.max(100, Math.floor(slowest * o.rateFraction() / 100) * 100);
        double meanDelayMs = o.connections() * 1000.0 / rate;
        Path paced = script("mix-paced.lua", RequestMix.wrkScript(meanDelayMs, false));
        Map<String, List<Sample>> fixed = new LinkedHashMap<>();
        for (int rep = 0; rep < o.reps(); rep++) {
            for (Target t : targets) {
                Sample s = measure(t, paced, o.seconds());
                fixed.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(s);
                log(String.format(Locale.ROOT, "fixed %s rep %d: %.0f rps, p50 %d us, p99 %d us, p99.9 %d us",
                        t.name(), rep + 1, s.rps(), s.wrk().p50(), s.wrk().p99(), s.wrk().p999()));
            }
        }

        // memory at the end: live heap after a full GC (JVMs), resident size (all)
        Map<String, Memory> memory = new LinkedHashMap<>();
        for (Target t : targets) {
            memory.put(t.name(), t.memory());
        }

        Results r = new Results(o, rate, meanDelayMs, statuses, saturation, fixed, memory, unavailable, commands,
                targets.stream().map(Target::name).toList());
        Files.writeString(o.out().resolve("load.md"), LoadReport.markdown(r));
        Files.writeString(o.out().resolve("load.json"), LoadReport.json(r));
        log("wrote " + o.out().resolve("load.md"));
    }

    record Results(Options options, double rate, double meanDelayMs, Map<String, JsonNode> statuses,
                   Map<String, List<Sample>> saturation, Map<String, List<Sample>> fixed, Map<String, Memory> memory,
                   Map<String, String> unavailable, List<String> commands, List<String> order) {}

    /** One wrk run against one target, with the target's CPU and allocation around it. */
    record Sample(WrkResult wrk, double cpuSeconds, long allocatedBytes) {
        double rps() {
            return wrk.requests() / (wrk.durationMicros() / 1e6);
        }

        double cpuMicrosPerRequest() {
            return cpuSeconds * 1e6 / Math.max(1, wrk.requests());
        }

        /** Bytes allocated per request; negative when the target is not a JVM. */
        double allocPerRequest() {
            return allocatedBytes < 0 ? -1 : allocatedBytes / (double) Math.max(1, wrk.requests());
        }
    }

    record Memory(long heapAfterGcBytes, long rssBytes) {}

    private Sample measure(Target t, Path script, int seconds) throws Exception {
        long alloc0 = t.allocated();
        double cpu0 = t.cpuSeconds();
        WrkResult w = wrk(t, script, seconds, false);
        double cpu1 = t.cpuSeconds();
        long alloc1 = t.allocated();
        return new Sample(w, cpu1 - cpu0, alloc0 < 0 ? -1 : alloc1 - alloc0);
    }

    // ------------------------------------------------------------------ wrk

    record WrkResult(long requests, long durationMicros, long errors, long non2xx3xx, long p50, long p90, long p99,
                     long p999, double mean, long max, JsonNode statuses) {}

    private WrkResult wrk(Target t, Path script, int seconds, boolean statuses) throws Exception {
        List<String> cmd = List.of("wrk", "-t1", "-c" + o.connections(), "-d" + seconds + "s", "--timeout", "5s",
                "-s", script.toString(), "http://127.0.0.1:" + t.port() + "/");
        // one line per kind of run: the configurations differ only in the port (listed apart)
        note(String.join(" ", cmd).replace("127.0.0.1:" + t.port() + "/", "127.0.0.1:$PORT/"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("wrk against " + t.name() + " failed:\n" + out);
        }
        JsonNode j = null;
        JsonNode st = JSON.createObjectNode();
        for (String line : out.lines().toList()) {
            if (line.startsWith("WRK ")) {
                j = JSON.readTree(line.substring(4));
            } else if (line.startsWith("STATUS ")) {
                st = JSON.readTree(line.substring(7));
            }
        }
        if (j == null) {
            throw new IllegalStateException("wrk against " + t.name() + " printed no result:\n" + out);
        }
        long errors = j.get("errors_connect").asLong() + j.get("errors_read").asLong() + j.get("errors_write").asLong()
                + j.get("errors_timeout").asLong();
        return new WrkResult(j.get("requests").asLong(), j.get("duration_us").asLong(), errors,
                j.get("non_2xx_3xx").asLong(), j.get("p50_us").asLong(), j.get("p90_us").asLong(),
                j.get("p99_us").asLong(), j.get("p999_us").asLong(), j.get("mean_us").asDouble(),
                j.get("max_us").asLong(), st);
    }

    // ------------------------------------------------------------------ targets

    /** A proxy under test: a JVM answering the probe, or an nginx master with its worker. */
    private sealed interface Target {
        String name();

        int port();

        Process process();

        double cpuSeconds();

        /** Bytes allocated since start, or -1 when not a JVM. */
        long allocated() throws IOException, InterruptedException;

        Memory memory() throws IOException, InterruptedException;
    }

    private record JvmTarget(String name, int port, Process process, Probe probe) implements Target {
        @Override
        public double cpuSeconds() {
            return ProcStat.cpuSeconds(process.pid());
        }

        @Override
        public long allocated() throws IOException, InterruptedException {
            return Long.parseLong(probe.ask("alloc", "alloc"));
        }

        @Override
        public Memory memory() throws IOException, InterruptedException {
            long heap = Long.parseLong(probe.ask("gc", "heap"));
            return new Memory(heap, ProcStat.rssBytes(process.pid()));
        }
    }

    private record NginxTarget(String name, int port, Process process) implements Target {
        @Override
        public double cpuSeconds() {
            return ProcStat.cpuSeconds(process.pid(), true);
        }

        @Override
        public long allocated() {
            return -1;
        }

        @Override
        public Memory memory() {
            long rss = ProcStat.children(process.pid()).stream().mapToLong(ProcStat::rssBytes).sum();
            return new Memory(-1, rss);
        }
    }

    /** Starts configuration {@code name}; empty when started, else why it is not available. */
    private Optional<String> start(String name, ObjectNode base) throws Exception {
        int port = freePort();
        ObjectNode config = base.deepCopy();
        ((ObjectNode) config.get("listen")).put("port", port);
        ((ObjectNode) config.with("admin").with("listen")).put("host", "127.0.0.1").put("port", freePort());
        return switch (name) {
            case "empty" -> jvm(name, port, config, "dev.graft.bench.load.RawProxyMain");
            case "lua" -> jvm(name, port, config, "dev.graft.host.cli.GraftCli", "serve");
            case "java" -> rollout(name, port, config, new LinkedHashSet<>(dev.graft.bench.stage.StageInputs.MODULES));
            case "mix" -> rollout(name, port, config, new LinkedHashSet<>(Rollout.MIX_JAVA));
            case "nginx" -> nginx(name, port, config);
            default -> Optional.of("unknown configuration (expected: empty, lua, java, mix or nginx)");
        };
    }

    private Optional<String> rollout(String name, int port, ObjectNode config, java.util.Set<String> java)
            throws Exception {
        return switch (Rollout.apply(config, java)) {
            case Rollout.Result.Unavailable u -> Optional.of(u.why());
            case Rollout.Result.Applied a -> jvm(name, port, a.config(), "dev.graft.host.cli.GraftCli", "serve");
        };
    }

    private Optional<String> jvm(String name, int port, ObjectNode config, String main, String... mainArgs)
            throws Exception {
        Path file = o.out().resolve("graft-" + name + ".json");
        Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(List.of("-cp", o.jar().toString(), ProbedMain.class.getName(), main));
        cmd.addAll(List.of(mainArgs));
        if (main.endsWith("GraftCli")) {
            cmd.addAll(List.of("--config", file.toString()));
        } else {
            cmd.add(file.toString());
        }
        note(String.join(" ", cmd));
        Path err = o.out().resolve(name + ".stderr.log");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        Probe probe = new Probe(p);
        try {
            awaitPort(name, p, port, err);
        } catch (IllegalStateException e) {
            // a configuration that does not start is reported, and the others are still measured
            p.destroyForcibly();
            return Optional.of("did not start: " + startFailure(err) + " (see " + err.getFileName() + ")");
        }
        targets.add(new JvmTarget(name, port, p, probe));
        note("# " + name + ": $PORT=" + port);
        log(name + ": pid " + p.pid() + " on port " + port);
        return Optional.empty();
    }

    private Optional<String> nginx(String name, int port, ObjectNode config) throws Exception {
        Optional<Path> nginx = nginxBinary();
        if (nginx.isEmpty() || !Files.exists(NginxConfigGenerator.DEBIAN_MODULES.resolve("ngx_http_lua_module.so"))) {
            return Optional.of("nginx with lua-nginx-module is not installed (apt-get install nginx libnginx-mod-http-lua)");
        }
        Path prefix = o.out().resolve("nginx-peer");
        Files.createDirectories(prefix.resolve("logs"));
        Files.createDirectories(prefix.resolve("tmp"));
        Path file = o.out().resolve("graft-nginx.json");
        Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
        boolean root = "root".equals(System.getProperty("user.name"));
        var result = NginxConfigGenerator.of(new NginxConfigGenerator.Layout(prefix, file,
                NginxConfigGenerator.DEBIAN_MODULES, root)).generate(config);
        String conf = switch (result) {
            case NginxConfigGenerator.Result.Refused r -> throw new IllegalStateException("nginx config: " + r.errors());
            case NginxConfigGenerator.Result.Generated g -> g.conf();
        };
        // Graft writes no access log and drops ngx.log below WARN by default: nginx is set the same
        conf = conf.replaceFirst("(?m)^(error_log \\S+) info;", "$1 warn;")
                .replaceFirst("(?m)^(\\s*)access_log \\S+;", "$1access_log off;");
        Path confFile = Files.writeString(prefix.resolve("nginx.conf"), conf);
        List<String> cmd = List.of(nginx.get().toString(), "-p", prefix.toString(), "-c", confFile.toString());
        note(String.join(" ", cmd) + "   # nginx.conf from NginxConfigGenerator, error_log warn, access_log off");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
        awaitPort(name, p, port, prefix.resolve("logs/error.log"));
        targets.add(new NginxTarget(name, port, p));
        note("# " + name + ": $PORT=" + port);
        log(name + ": master pid " + p.pid() + " on port " + port);
        return Optional.empty();
    }

    private void startOrigin(int[] ports) throws Exception {
        Optional<Path> nginx = nginxBinary();
        if (nginx.isEmpty()) {
            throw new IllegalStateException("nginx: not installed (expected: apt-get install nginx; it is the fast origin)");
        }
        Path prefix = o.out().resolve("origin");
        Files.createDirectories(prefix.resolve("logs"));
        Files.createDirectories(prefix.resolve("tmp"));
        String body = "<!doctype html><title>origin</title>" + "x".repeat(1024 - 37);
        StringBuilder c = new StringBuilder();
        c.append("# the benchmark origin: 1 KiB for every request, on the three upstreams' ports\n");
        c.append("worker_processes 1;\ndaemon off;\npid ").append(prefix.resolve("origin.pid")).append(";\n");
        c.append("error_log ").append(prefix.resolve("logs/error.log")).append(" warn;\n");
        c.append("events { worker_connections 4096; }\nhttp {\n  access_log off;\n");
        c.append("  keepalive_requests 10000000;\n  keepalive_timeout 300s;\n");
        for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            c.append("  ").append(temp).append("_temp_path ").append(prefix.resolve("tmp/" + temp)).append(";\n");
        }
        c.append("  server {\n");
        for (int port : ports) {
            c.append("    listen 127.0.0.1:").append(port).append(";\n");
        }
        c.append("    location / { default_type text/html; return 200 '").append(body).append("'; }\n  }\n}\n");
        Path conf = Files.writeString(prefix.resolve("nginx.conf"), c.toString());
        List<String> cmd = List.of(nginx.get().toString(), "-p", prefix.toString(), "-c", conf.toString());
        note(String.join(" ", cmd) + "   # the origin");
        origin = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(prefix.resolve("logs/stdout.log").toFile()).start();
        for (int port : ports) {
            awaitPort("origin", origin, port, prefix.resolve("logs/error.log"));
        }
        log("origin: nginx pid " + origin.pid() + " on ports " + ports[0] + ", " + ports[1] + ", " + ports[2]);
    }

    /** The demo config with the scripts folder absolute and the upstreams on the origin's ports. */
    private static ObjectNode demoConfig(int[] originPorts) throws IOException {
        Path file = BenchHome.demoConfig();
        ObjectNode c = (ObjectNode) JSON.readTree(file.toFile());
        // the demo config may ship a rollout: the base is all-Lua, Rollout.apply adds the Java side
        c.remove("rollout");
        c.put("scripts", file.getParent().resolve(c.path("scripts").asText(".")).normalize().toString());
        c.with("listen").put("host", "127.0.0.1");
        int i = 0;
        for (Map.Entry<String, JsonNode> u : c.get("upstreams").properties()) {
            ArrayNode servers = (ArrayNode) u.getValue().get("servers");
            for (JsonNode s : servers) {
                ((ObjectNode) s).put("address", "127.0.0.1:" + originPorts[Math.min(i, originPorts.length - 1)]);
            }
            i++;
        }
        return c;
    }

    private static Optional<Path> nginxBinary() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nginx"))) {
                return Optional.of(Path.of(dir, "nginx"));
            }
        }
        return Optional.empty();
    }

    private static void awaitPort(String name, Process p, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException(name + ": exited with " + p.exitValue() + " before listening; see " + log
                        + ":\n" + tail(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException(name + ": not listening on " + port + " after 90 s; see " + log);
    }

    /** The line of a failed start's stderr that says why: Graft's own "graft: ..." line, else the last one. */
    private static String startFailure(Path err) {
        try {
            List<String> lines = Files.readAllLines(err);
            return lines.stream().filter(l -> l.startsWith("graft: ")).findFirst()
                    .orElse(lines.isEmpty() ? "no output" : lines.get(lines.size() - 1)).trim();
        } catch (IOException e) {
            return "no output";
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private Path script(String name, String text) throws IOException {
        return Files.writeString(o.out().resolve(name), text);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void note(String command) {
        if (!commands.contains(command)) {
            commands.add(command);
        }
    }

    private static void log(String s) {
        System.out.println("[load] " + s);
        System.out.flush();
    }

    private synchronized void stopAll() {
        for (Target t : targets) {
            t.process().destroy();
        }
        for (Target t : targets) {
            try {
                if (!t.process().waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    t.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        targets.clear();
        if (origin != null) {
            origin.destroy();
            try {
                origin.waitFor(15, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            origin = null;
        }
    }
}
