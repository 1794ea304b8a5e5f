package dev.graft.bench.stage;

import java.util.List;
import java.util.Map;

/**
 * The realistic inputs of each module's benchmark, against the demo config
 * (legacy-scripts/graft.json): a {@code clean} request the module lets through untouched, and a
 * {@code hit} request it acts on (blocks, redirects, limits, rewrites, answers a preflight).
 * The customer is the demo customer that has settings for the module.
 */
public final class StageInputs {

    private StageInputs() {}

    /** The browser-like headers every request carries. */
    static final String[] BROWSER = {
        "User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
        "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "Accept-Language", "en-GB,en;q=0.5",
        "Accept-Encoding", "gzip, deflate, br",
        "Referer", "https://www.shop.test/catalog/shoes?page=2",
        "Cookie", "shop_origin=origin-a; theme=dark",
    };

    /** The modules of the demo pipeline, in pipeline order. */
    public static final List<String> MODULES = List.of("normalize", "redirects", "headers", "ip_rules", "waf",
            "ratelimit", "auth", "cors", "router", "cache", "accesslog");

    /** The demo customer whose settings each module runs with. */
    public static final Map<String, String> CUSTOMER = Map.ofEntries(
            Map.entry("normalize", "shop"), Map.entry("redirects", "shop"), Map.entry("headers", "shop"),
            Map.entry("ip_rules", "legacy"), Map.entry("waf", "shop"), Map.entry("ratelimit", "shop"),
            Map.entry("auth", "media"), Map.entry("cors", "shop"), Map.entry("router", "shop"),
            Map.entry("cache", "shop"), Map.entry("accesslog", "shop"));

    /** The host of each demo customer. */
    public static String host(String customer) {
        return customer + ".test";
    }

    /** The input of {@code module} of kind {@code kind} ("clean" or "hit"). */
    public static StageInput of(String module, String kind) {
        String host = host(CUSTOMER.getOrDefault(module, "shop"));
        boolean hit = switch (kind) {
            case "clean" -> false;
            case "hit" -> true;
            default -> throw new IllegalArgumentException("kind: " + kind + " (expected: clean or hit)");
        };
        if (!hit) {
            return switch (module) {
                case "auth" -> StageInput.get(host, "/files/report-2026.pdf", BROWSER);
                case "ip_rules" -> StageInput.get(host, "/page/about", with("X-Forwarded-For", "198.51.100.23"));
                default -> StageInput.get(host, "/catalog/shoes/running?color=blue&size=42&sort=price", BROWSER);
            };
        }
        return switch (module) {
            case "normalize" -> StageInput.get(host, "/catalog//shoes/./running/../trail/%7Euser?size=42", BROWSER);
            case "redirects" -> StageInput.get(host, "/blog/2026/11/new-trail-shoes", BROWSER);
            case "headers" -> StageInput.get(host, "/catalog/shoes", with("X-Debug", "1"));
            case "ip_rules" -> StageInput.get(host, "/page/about", with("X-Forwarded-For", "192.0.2.77"));
            case "waf" -> StageInput.get(host, "/search?q=1%27%20OR%201%3D1%20--%20&cat=%3Cscript%3Ealert(1)%3C/script%3E",
                    BROWSER);
            // after ten requests in the window every further one is limited: the steady state of a burst
            case "ratelimit" -> StageInput.get(host, "/api/v1/items?page=3", BROWSER);
            case "auth" -> StageInput.get(host, "/private/drafts/q4.pdf", with("X-API-Key", "media-demo-key"));
            case "cors" -> new StageInput("OPTIONS", host, "/api/v1/items", List.of(
                    "Origin", "https://app.shop.test", "Access-Control-Request-Method", "PUT",
                    "Access-Control-Request-Headers", "content-type, x-request-id"), java.util.Optional.empty());
            case "router", "cache" -> StageInput.get(host, "/static/css/site.css", BROWSER);
            case "accesslog" -> StageInput.get(host, "/checkout/cart?step=2", BROWSER);
            default -> throw new IllegalArgumentException("module: " + module + " (expected: one of " + MODULES + ")");
        };
    }

    private static String[] with(String name, String value) {
        String[] h = java.util.Arrays.copyOf(BROWSER, BROWSER.length + 2);
        h[BROWSER.length] = name;
        h[BROWSER.length + 1] = value;
        return h;
    }
}
