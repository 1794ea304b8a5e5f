package dev.graft.modules.iprules;

import dev.graft.modules.lua.ConfigProblems;
import dev.graft.modules.lua.LuaText;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code ip_rules} settings of a customer (legacy-scripts/ip_rules/README.md), with the
 * Lua module's defaults. JSON {@code null} is absent. Unreadable CIDR entries are kept as
 * values and skipped, as the Lua module does; {@link #problems()} lists them in its log words.
 *
 * @param allow            only these clients pass; absent: no allow list; empty: nobody
 * @param deny             refused clients, checked before {@code allow}; default none
 * @param trustedProxies   peers and hops whose forwarded header is believed; default none
 * @param realIpHeader     the forwarded chain's header; default (also for "") X-Forwarded-For
 * @param invalidForwarded "deny" refuses a request with an unreadable chain element; anything
 *                         else (default "stop") stops the walk there
 * @param clientIpHeader   request header that carries the resolved client upstream; "" is off
 * @param denyStatus       status of a refusal; default 403
 * @param denyMessage      body of a refusal (a newline is appended); default "forbidden"
 * @param loadProblems     derived, never read from JSON: the lines the Lua module logs when it
 *                         compiles these settings, written once by the first request
 */
public record IpRulesConfig(
        Optional<List<CidrEntry>> allow,
        List<CidrEntry> deny,
        List<CidrEntry> trustedProxies,
        Optional<String> realIpHeader,
        Optional<String> invalidForwarded,
        Optional<String> clientIpHeader,
        Optional<Integer> denyStatus,
        Optional<String> denyMessage,
        ConfigProblems loadProblems) {

    public IpRulesConfig {
        allow = LuaText.orEmpty(allow).map(IpRulesConfig::entries);
        deny = entries(deny);
        trustedProxies = entries(trustedProxies);
        realIpHeader = LuaText.orEmpty(realIpHeader).filter(h -> !h.isEmpty()).map(LuaText::bytes);
        invalidForwarded = LuaText.orEmpty(invalidForwarded);
        clientIpHeader = LuaText.orEmpty(clientIpHeader).filter(h -> !h.isEmpty()).map(LuaText::bytes);
        denyStatus = LuaText.orEmpty(denyStatus);
        // Lua strings are the JSON text's UTF-8 bytes; request and response text here is byte-per-char
        denyMessage = LuaText.orEmpty(denyMessage).map(LuaText::bytes);
        denyStatus.ifPresent(s -> {
            if (s < 100 || s > 999) {
                throw new IllegalArgumentException("denyStatus: " + s + " (expected: an HTTP status, 100..999)");
            }
        });
        loadProblems = new ConfigProblems(problems(allow, deny, trustedProxies));
    }

    /** The settings as they come from JSON. */
    public IpRulesConfig(Optional<List<CidrEntry>> allow, List<CidrEntry> deny, List<CidrEntry> trustedProxies,
            Optional<String> realIpHeader, Optional<String> invalidForwarded, Optional<String> clientIpHeader,
            Optional<Integer> denyStatus, Optional<String> denyMessage) {
        this(allow, deny, trustedProxies, realIpHeader, invalidForwarded, clientIpHeader, denyStatus, denyMessage, null);
    }

    /** The settings of {@code "ip_rules": {}}. */
    public static IpRulesConfig defaults() {
        return new IpRulesConfig(null, null, null, null, null, null, null, null);
    }

    private static List<CidrEntry> entries(List<CidrEntry> list) {
        if (list == null) {
            return List.of();
        }
        List<CidrEntry> out = new ArrayList<>(list.size());
        for (CidrEntry e : list) {
            out.add(e == null ? CidrEntry.notAString("userdata") : e);
        }
        return List.copyOf(out);
    }

    /** {@code addr.find} over the readable entries: the first network that holds {@code address}. */
    static Optional<Network> find(List<CidrEntry> list, IpAddress address) {
        for (CidrEntry e : list) {
            if (e.network().isPresent() && e.network().get().contains(address)) {
                return e.network();
            }
        }
        return Optional.empty();
    }

    /**
     * The header to read the chain from, as {@code get_headers()[name]} looks it up: lower case,
     * '_' read as '-'.
     */
    public String chainHeader() {
        return headerName().replace('_', '-');
    }

    /** The chain header's name in lower case, as the Lua module keeps it (and logs it). */
    String headerName() {
        // string.lower: ASCII letters only
        char[] c = realIpHeader.orElse("X-Forwarded-For").toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (c[i] >= 'A' && c[i] <= 'Z') {
                c[i] = (char) (c[i] + 32);
            }
        }
        return new String(c);
    }

    public boolean denyInvalidForwarded() {
        return invalidForwarded.filter("deny"::equals).isPresent();
    }

    public int status() {
        return denyStatus.orElse(403);
    }

    public String message() {
        return denyMessage.orElse("forbidden");
    }

    /**
     * The lines the Lua module logs at {@code error} when it first compiles these settings, one
     * per unreadable entry, in its order (allow, deny, trusted_proxies).
     */
    public List<String> problems() {
        return loadProblems.messages();
    }

    private static List<String> problems(Optional<List<CidrEntry>> allow, List<CidrEntry> deny,
            List<CidrEntry> trustedProxies) {
        List<String> out = new ArrayList<>();
        allow.ifPresent(list -> problems("allow", list, out));
        problems("deny", deny, out);
        problems("trusted_proxies", trustedProxies, out);
        return out;
    }

    private static void problems(String field, List<CidrEntry> list, List<String> out) {
        for (int i = 0; i < list.size(); i++) {
            CidrEntry e = list.get(i);
            int position = i + 1;
            e.why().ifPresent(why -> out.add("ip_rules: " + field + "[" + position + "]: " + e.text()
                    + " (expected: an address or CIDR; " + why + "), ignored"));
        }
    }
}
