package dev.graft.host.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * The JSON line formats, for a log shipper: one object per line, UTF-8, no pretty printing.
 * They run on logback's async worker thread, not on the proxy's event loops.
 */
final class JsonLines {

    private JsonLines() {}

    /**
     * Access lines: {@code {"time","request_id","customer","method","uri","status","bytes",
     * "duration_ms","upstream","remote","host","user_agent"}}; {@code bytes} is the response
     * body length when known (Content-Length or a body Graft produced), else absent.
     */
    static final class Access extends LayoutBase<ILoggingEvent> {
        @Override
        public String doLayout(ILoggingEvent event) {
            Object[] args = event.getArgumentArray();
            if (args == null || args.length == 0 || !(args[0] instanceof AccessLog.AccessRecord r)) {
                return "";
            }
            StringBuilder b = new StringBuilder(256).append('{');
            field(b, "time", Instant.ofEpochMilli(r.startEpochMillis()).toString()).append(',');
            field(b, "request_id", r.requestId()).append(',');
            field(b, "customer", r.customer()).append(',');
            field(b, "method", r.method()).append(',');
            field(b, "uri", r.uri()).append(',');
            b.append("\"status\":").append(r.status());
            long bytes = bytes(r);
            if (bytes >= 0) {
                b.append(",\"bytes\":").append(bytes);
            }
            b.append(",\"duration_ms\":").append(String.format(java.util.Locale.ROOT, "%.3f", r.durationNanos() / 1e6));
            b.append(',');
            field(b, "upstream", r.upstream()).append(',');
            InetSocketAddress remote = r.remote();
            field(b, "remote", remote == null ? "" : remote.getAddress() == null ? remote.getHostString()
                    : remote.getAddress().getHostAddress());
            if (r.host() != null) {
                field(b.append(','), "host", r.host());
            }
            if (r.userAgent() != null) {
                field(b.append(','), "user_agent", r.userAgent());
            }
            return b.append("}\n").toString();
        }

        private static long bytes(AccessLog.AccessRecord r) {
            if (r.responseLength() != null) {
                try {
                    return Long.parseLong(r.responseLength().strip());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
            return r.localBytes() > 0 ? r.localBytes() : -1;
        }
    }

    /**
     * Error lines: {@code {"time","level","logger","thread","request_id","message"}}. Graft's
     * per-request errors are logged as {@code "[{}] ..."} with the request id first: that id
     * becomes the {@code request_id} field.
     */
    static final class Error extends LayoutBase<ILoggingEvent> {
        @Override
        public String doLayout(ILoggingEvent event) {
            StringBuilder b = new StringBuilder(256).append('{');
            field(b, "time", Instant.ofEpochMilli(event.getTimeStamp()).toString()).append(',');
            field(b, "level", event.getLevel().toString()).append(',');
            field(b, "logger", event.getLoggerName()).append(',');
            field(b, "thread", event.getThreadName()).append(',');
            Object[] args = event.getArgumentArray();
            String message = event.getFormattedMessage();
            if (event.getMessage() != null && event.getMessage().startsWith("[{}]") && args != null && args.length > 0
                    && args[0] instanceof String id) {
                field(b, "request_id", id).append(',');
                message = message.substring(Math.min(message.length(), id.length() + 2)).stripLeading();
            }
            field(b, "message", message);
            if (event.getThrowableProxy() != null) {
                field(b.append(','), "exception", event.getThrowableProxy().getClassName() + ": "
                        + event.getThrowableProxy().getMessage());
            }
            return b.append("}\n").toString();
        }
    }

    static StringBuilder field(StringBuilder b, String name, String value) {
        b.append('"').append(name).append("\":\"");
        String v = value == null ? "" : value;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }
}
