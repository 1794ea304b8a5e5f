package dev.graft.host.lua.ngx;

import dev.graft.host.exchange.Exchange;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * nginx's variables computed over an {@link Exchange}, as Java strings of one char per byte:
 * the one implementation behind both {@code ngx.var} ({@link NgxVar}, which turns them into
 * Lua strings) and the Java stages' views (the bridge's {@code BridgeExchange}), so the two
 * sides cannot read a variable differently.
 */
public final class NginxVariables {

    private NginxVariables() {}

    /** {@code $host} (see {@link NgxHost}). */
    public static String host(Exchange ex) {
        return NgxHost.of(ex);
    }

    /** {@code $arg_NAME}: the raw (not unescaped) value of the first arg named NAME, any case. */
    public static Optional<String> arg(Exchange ex, String name) {
        String args = ex.args().orElse(null);
        if (args == null) {
            return Optional.empty();
        }
        int n = args.length();
        int i = 0;
        while (i < n) {
            int amp = args.indexOf('&', i);
            if (amp < 0) {
                amp = n;
            }
            int eq = args.indexOf('=', i);
            int keyEnd = eq >= 0 && eq < amp ? eq : amp;
            if (keyEnd - i == name.length() && args.regionMatches(true, i, name, 0, name.length())) {
                return Optional.of(keyEnd == amp ? "" : args.substring(keyEnd + 1, amp));
            }
            i = amp + 1;
        }
        return Optional.empty();
    }

    /** {@code $cookie_NAME}: the value of the first cookie named NAME (exact case). */
    public static Optional<String> cookie(Exchange ex, String name) {
        for (String header : ex.requestHeaders().getAll(HttpHeaderNames.COOKIE)) {
            int n = header.length();
            int i = 0;
            while (i < n) {
                while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == ';' || header.charAt(i) == ',')) {
                    i++;
                }
                int end = i;
                while (end < n && header.charAt(end) != ';' && header.charAt(end) != ',') {
                    end++;
                }
                int eq = header.indexOf('=', i);
                if (eq > i && eq < end && eq - i == name.length() && header.startsWith(name, i)) {
                    return Optional.of(header.substring(eq + 1, end));
                }
                i = end + 1;
            }
        }
        return Optional.empty();
    }

    /** {@code $remote_addr}/{@code $server_addr}: the address as text. */
    public static String ip(InetSocketAddress a) {
        InetAddress addr = a.getAddress();
        return addr == null ? a.getHostString() : addr.getHostAddress();
    }

    /** Milliseconds as nginx prints seconds ({@code $request_time}, {@code $msec}): "12.345". */
    public static String seconds(long millis) {
        long ms = millis % 1000;
        return (millis / 1000) + (ms < 10 ? ".00" : ms < 100 ? ".0" : ".") + ms;
    }
}
