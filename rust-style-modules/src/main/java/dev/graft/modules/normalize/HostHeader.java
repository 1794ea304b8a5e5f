package dev.graft.modules.normalize;

import dev.graft.modules.lua.LuaText;

/** The Host header part of normalize: ASCII lower case and the default port dropped. */
final class HostHeader {

    private HostHeader() {}

    static String normalize(NormalizeConfig config, String host, String scheme) {
        String h = host;
        if (config.lowercases()) {
            h = LuaText.asciiLower(h);
        }
        if (config.stripsPort()) {
            int colon = -1;
            if (h.charAt(0) == '[') { // [IPv6]:port
                int close = h.indexOf(']', 1);
                if (close >= 0 && close + 1 < h.length() && h.charAt(close + 1) == ':') {
                    colon = close + 1;
                }
            } else {
                colon = h.indexOf(':');
            }
            if (colon >= 0) {
                String port = h.substring(colon + 1);
                if (port.isEmpty() || port.equals(defaultPort(scheme))) {
                    h = h.substring(0, colon);
                }
            }
        }
        return h;
    }

    private static String defaultPort(String scheme) {
        return switch (scheme) {
            case "http" -> "80";
            case "https" -> "443";
            default -> "";
        };
    }
}
