package dev.graft.host.lua.ngx;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The bodies nginx sends for a status it finalizes a request with (ngx.exit, ngx.redirect,
 * a contained error): its built-in special-response pages, byte for byte (CRLF line ends,
 * {@code server_tokens off} footer). Statuses nginx has no page for get an empty body.
 */
public final class ErrorPages {

    private ErrorPages() {}

    private static final Map<Integer, String> TITLES = Map.ofEntries(
            Map.entry(301, "301 Moved Permanently"),
            Map.entry(302, "302 Found"),
            Map.entry(303, "303 See Other"),
            Map.entry(307, "307 Temporary Redirect"),
            Map.entry(308, "308 Permanent Redirect"),
            Map.entry(400, "400 Bad Request"),
            Map.entry(401, "401 Authorization Required"),
            Map.entry(402, "402 Payment Required"),
            Map.entry(403, "403 Forbidden"),
            Map.entry(404, "404 Not Found"),
            Map.entry(405, "405 Not Allowed"),
            Map.entry(406, "406 Not Acceptable"),
            Map.entry(408, "408 Request Time-out"),
            Map.entry(409, "409 Conflict"),
            Map.entry(410, "410 Gone"),
            Map.entry(411, "411 Length Required"),
            Map.entry(412, "412 Precondition Failed"),
            Map.entry(413, "413 Request Entity Too Large"),
            Map.entry(414, "414 Request-URI Too Large"),
            Map.entry(415, "415 Unsupported Media Type"),
            Map.entry(416, "416 Requested Range Not Satisfiable"),
            Map.entry(421, "421 Misdirected Request"),
            Map.entry(429, "429 Too Many Requests"),
            Map.entry(500, "500 Internal Server Error"),
            Map.entry(501, "501 Not Implemented"),
            Map.entry(502, "502 Bad Gateway"),
            Map.entry(503, "503 Service Temporarily Unavailable"),
            Map.entry(504, "504 Gateway Time-out"),
            Map.entry(505, "505 HTTP Version Not Supported"),
            Map.entry(507, "507 Insufficient Storage"));

    /** nginx's 494 page: sent with status 400, its title and an extra line name the cause. */
    private static final String PAGE_494 = "<html>\r\n<head><title>400 Request Header Or Cookie Too Large</title></head>\r\n"
            + "<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n"
            + "<center>Request Header Or Cookie Too Large</center>\r\n";

    private static final String TAIL = "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

    /** Whether nginx has a page for {@code status}. */
    public static boolean has(int status) {
        return status == 494 || TITLES.containsKey(status);
    }

    /** The page for {@code status}, empty when nginx has none. */
    public static byte[] page(int status) {
        if (status == 494) {
            return (PAGE_494 + TAIL).getBytes(StandardCharsets.US_ASCII);
        }
        String title = TITLES.get(status);
        if (title == null) {
            return new byte[0];
        }
        return (head(title) + TAIL).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The 500 page of a contained Lua failure: nginx's page with the request id, so that a
     * client report can be matched to the log line.
     */
    public static byte[] internalError(String requestId) {
        return withRequestId(500, requestId);
    }

    /**
     * nginx's page for {@code status} with the request id in its signature line (where nginx
     * names itself), so the page stays nginx's page in every other byte: for the failures a
     * user reports (a contained Lua error, an upstream that failed).
     */
    public static byte[] withRequestId(int status, String requestId) {
        String title = TITLES.get(status);
        if (title == null) {
            return new byte[0];
        }
        return (head(title) + "<hr><center>request id: " + escapeHtml(requestId) + "</center>\r\n</body>\r\n</html>\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String head(String title) {
        return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>"
                + title + "</h1></center>\r\n";
    }

    private static String escapeHtml(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
