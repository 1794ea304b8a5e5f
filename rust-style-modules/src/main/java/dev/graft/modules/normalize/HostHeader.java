package dev.graft.modules.normalize;

/** The Host header part of normalize: ASCII lower case and the default port dropped. */
final class HostHeader {

    private HostHeader() {}

    static String normalize(NormalizeConfig config, String host, String scheme) {
        String h = host;
        if (config.lowercases()) {
            h = asciiLower(h);
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

    /** Lua's string.lower in the C locale: A-Z only, other bytes as they are. */
    static String asciiLower(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) {
                    out = new StringBuilder(s);
                }
                out.setCharAt(i, (char) (c + 32));
            }
        }
        return out == null ? s : out.toString();
    }
}
