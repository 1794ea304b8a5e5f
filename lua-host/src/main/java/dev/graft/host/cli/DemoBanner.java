package dev.graft.host.cli;

import dev.graft.host.config.GraftConfig;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;

/** What {@code graft demo} prints once everything is up: the URLs and four curl lines. */
final class DemoBanner {

    private DemoBanner() {}

    static String text(GraftConfig config, InetSocketAddress proxy, InetSocketAddress admin,
                       Map<String, InetSocketAddress> origins) {
        String p = "http://" + ServeCommand.hostPort(proxy);
        String a = "http://" + ServeCommand.hostPort(admin);
        StringBuilder b = new StringBuilder();
        b.append("Graft demo is running (Ctrl-C stops it).\n");
        b.append("  proxy    ").append(p).append('\n');
        b.append("  admin    ").append(a).append("/status  ").append(a).append("/metrics\n");
        b.append("  origins ");
        new TreeMap<>(origins).forEach((name, addr) -> b.append(' ').append(name).append(' ').append(ServeCommand.hostPort(addr)));
        b.append('\n');
        b.append("  customers");
        new TreeMap<>(config.customers()).forEach((name, c) -> b.append(' ').append(name).append(' ').append(c.hosts()));
        b.append("\n\nTry:\n");
        for (String line : curlLines(p)) {
            b.append("  ").append(line).append('\n');
        }
        return b.toString();
    }

    /** The README shows the same four requests and what they return (customers of graft.json). */
    static String[] curlLines(String proxy) {
        return new String[] {
            "curl -si -H 'Host: shop.test' " + proxy + "/api/hello                 # proxied to origin-a",
            "curl -si -H 'Host: shop.test' " + proxy + "/old                       # redirected by redirects",
            "curl -si -H 'Host: shop.test' \"" + proxy + "/search?q=1%27%20OR%201=1--\"   # blocked by waf",
            "for i in $(seq 12); do curl -s -o /dev/null -w '%{http_code} ' -H 'Host: shop.test' " + proxy
                    + "/api/ping; done; echo   # ratelimit: 10 per 10 s",
        };
    }
}
