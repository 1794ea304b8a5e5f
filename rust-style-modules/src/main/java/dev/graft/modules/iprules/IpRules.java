package dev.graft.modules.iprules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ip_rules decision as a pure function of the peer address, the forwarded header lines and
 * the settings: which client the request comes from and whether it is refused, in the Lua
 * module's order (client resolution, invalid chain, deny, allow).
 */
public final class IpRules {

    private IpRules() {}

    /**
     * What ip_rules decided.
     *
     * @param client  the client in canonical text (the peer's text as given when unreadable)
     * @param refusal why the request is refused (the reason of the Lua log line), when it is
     */
    public record Decision(String client, Optional<String> refusal) {}

    /**
     * @param remote    the peer address ({@code $remote_addr})
     * @param forwarded the lines of the chain header, in order (empty when absent)
     */
    public static Decision decide(String remote, List<String> forwarded, IpRulesConfig c) {
        Optional<IpAddress> peer = IpAddress.parse(remote);
        if (peer.isEmpty()) {
            String refusal = c.allow().isPresent() ? "not in allow list" : null;
            return new Decision(remote, Optional.ofNullable(refusal));
        }
        IpAddress client = peer.get();
        boolean invalid = false;
        if (IpRulesConfig.find(c.trustedProxies(), client).isPresent() && !forwarded.isEmpty()) {
            List<String> chain = chain(String.join(",", forwarded));
            // right to left: the nearest hop first; trusted hops are skipped, the first untrusted
            // address is the client; if every hop is trusted the leftmost one is
            for (int i = chain.size() - 1; i >= 0; i--) {
                Optional<IpAddress> hop = IpAddress.stripPort(chain.get(i)).flatMap(IpAddress::parse);
                if (hop.isEmpty()) {
                    invalid = true; // stop at the last hop we could read, as nginx realip does
                    break;
                }
                client = hop.get();
                if (IpRulesConfig.find(c.trustedProxies(), client).isEmpty()) {
                    break;
                }
            }
        }
        String text = client.format();
        if (invalid && c.denyInvalidForwarded()) {
            return new Decision(text, Optional.of("invalid " + c.headerName()));
        }
        Optional<Network> denied = IpRulesConfig.find(c.deny(), client);
        if (denied.isPresent()) {
            return new Decision(text, Optional.of("deny " + denied.get().text()));
        }
        if (c.allow().isPresent() && IpRulesConfig.find(c.allow().get(), client).isEmpty()) {
            return new Decision(text, Optional.of("not in allow list"));
        }
        return new Decision(text, Optional.empty());
    }

    /** The chain's elements, left to right: split on ',', blanks and tabs trimmed, empties dropped. */
    static List<String> chain(String value) {
        List<String> out = new ArrayList<>();
        int pos = 0;
        int len = value.length();
        while (pos <= len) {
            int comma = value.indexOf(',', pos);
            int end = comma < 0 ? len : comma;
            int a = pos;
            int b = end;
            while (a < b && isBlank(value.charAt(a))) {
                a++;
            }
            while (b > a && isBlank(value.charAt(b - 1))) {
                b--;
            }
            if (b > a) {
                out.add(value.substring(a, b));
            }
            pos = end + 1;
        }
        return out;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
