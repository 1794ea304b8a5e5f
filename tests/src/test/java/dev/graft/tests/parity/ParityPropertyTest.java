package dev.graft.tests.parity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.graft.host.bridge.StageModules;
import dev.graft.host.parity.Mismatch;
import dev.graft.host.parity.ModuleHarness;
import dev.graft.host.parity.ParityRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * Property-based parity with jqwik: for generated HTTP requests (odd methods, paths with
 * percent-encodings, dot segments and unicode, repeated and empty args and headers, attack
 * strings, long values, IPv4 and IPv6 clients) sent to a customer whose settings configure the
 * module, the Lua and the Java module have the same effects. A failure shrinks to a small
 * request and jqwik prints the seed that reproduces it. {@code graft parity} runs 10,000
 * generated requests per module in CI; this property adds jqwik's own generation and shrinking
 * ({@code -Dgraft.parity.modules=waf,cors} picks modules).
 */
class ParityPropertyTest {

    private static final Path SHIPPED = Path.of("..", "legacy-scripts", "graft.json").toAbsolutePath().normalize();
    private static final List<String> MODULES = List.of(System.getProperty("graft.parity.modules",
            "normalize,redirects,headers,ip_rules,waf,ratelimit,auth,cors,router,cache,accesslog").split(","));

    private final Map<String, ModuleHarness> harnesses = new HashMap<>();

    @AfterProperty
    void close() {
        harnesses.values().forEach(ModuleHarness::close);
        harnesses.clear();
    }

    @Property(tries = 600, edgeCases = EdgeCasesMode.NONE)
    void luaAndJavaHaveTheSameEffects(@ForAll("modules") String module, @ForAll("requests") Shape shape) {
        ModuleHarness h = harnesses.computeIfAbsent(module,
                m -> ModuleHarness.open(SHIPPED, m, StageModules.discover()));
        ModuleHarness.Customer c = h.customers().get(Math.floorMod(shape.customer(), h.customers().size()));
        List<ParityRequest.Header> headers = new ArrayList<>();
        headers.add(new ParityRequest.Header("Host", c.host()));
        headers.addAll(shape.headers());
        ParityRequest request = new ParityRequest(c.name(), shape.method(), shape.target(), headers, shape.body(),
                shape.client());
        List<Mismatch> differences = h.compare(request);
        assertThat(differences).as(() -> differences.stream().map(Mismatch::describe)
                .collect(Collectors.joining("\n"))).isEmpty();
    }

    /** A request before it is addressed to a customer. */
    record Shape(int customer, String method, String target, List<ParityRequest.Header> headers,
                 Optional<String> body, String client) {}

    @Provide
    Arbitrary<String> modules() {
        return Arbitraries.of(MODULES);
    }

    @Provide
    Arbitrary<Shape> requests() {
        Arbitrary<String> method = Arbitraries.of("GET", "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH",
                "PROPFIND");
        Arbitrary<String> segment = Arbitraries.oneOf(
                Arbitraries.of("", ".", "..", "%2e%2e", "%2F", "%00", "%zz", "%", "a%20b", "api", "admin", "old",
                        "static", "login", "img.png", "~u", "a;b", "wp-admin", ".env"),
                Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(12),
                Arbitraries.strings().withChars("\u00e9\u65e5\u2603<>'\"").ofMaxLength(4).map(ParityPropertyTest::bytes),
                Arbitraries.strings().withChars('x').ofMinLength(200).ofMaxLength(3000));
        Arbitrary<String> path = segment.list().ofMinSize(1).ofMaxSize(5).map(s -> "/" + String.join("/", s));
        Arbitrary<String> arg = Combinators.combine(Arbitraries.of("q", "id", "a", "a", "", "sig", "expires", "url"),
                Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.just("="),
                        Arbitraries.of("=1", "=%27%20OR%201%3D1", "=%3Cscript%3E", "=..%2f..%2f", "=caf%C3%A9",
                                "=a+b", "=%ZZ"))).as((k, v) -> k + v);
        Arbitrary<String> query = arg.list().ofMaxSize(4).map(a -> a.isEmpty() ? "" : "?" + String.join("&", a));
        Arbitrary<String> target = Combinators.combine(path, query).as((p, q) -> p + q);
        Arbitrary<ParityRequest.Header> header = Combinators.combine(
                Arbitraries.of("User-Agent", "Accept", "Origin", "Cookie", "Authorization", "X-Forwarded-For",
                        "X-Api-Key", "Content-Type", "Referer", "Access-Control-Request-Method", "X-Custom",
                        "x_underscore", "If-None-Match"),
                Arbitraries.oneOf(Arbitraries.of("", "1", "curl/8.0", "https://shop.test", "null",
                                "203.0.113.9, 10.0.0.1", "2001:db8::1", "<script>alert(1)</script>",
                                "' OR '1'='1", "Bearer x.y.z", "session=1", "GET"),
                        Arbitraries.strings().withChars("\u00e9\u2603ab ").ofMaxLength(20).map(ParityPropertyTest::bytes)))
                .as(ParityRequest.Header::new);
        Arbitrary<Optional<String>> body = Arbitraries.oneOf(Arbitraries.just(Optional.<String>empty()),
                Arbitraries.of("a=1&b=2", "q=1%27%20union%20select", "{\"x\":\"<script>\"}")
                        .map(Optional::of));
        Arbitrary<String> client = Arbitraries.oneOf(Arbitraries.of("127.0.0.1", "::1", "2001:db8::7"),
                Arbitraries.integers().between(0, 255).map(i -> "203.0.113." + i),
                Arbitraries.integers().between(0, 255).map(i -> "10.1.2." + i));
        return Combinators.combine(Arbitraries.integers().between(0, 1000), method, target,
                header.list().ofMaxSize(6), body, client).as(Shape::new);
    }

    /** A string's UTF-8 bytes, one char per byte, as request strings are held. */
    private static String bytes(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
