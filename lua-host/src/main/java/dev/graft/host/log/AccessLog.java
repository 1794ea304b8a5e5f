package dev.graft.host.log;

import static java.util.Objects.requireNonNull;

import dev.graft.host.config.GraftConfig;
import dev.graft.host.exchange.Exchange;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request on the {@code graft.access} logger, when the config's
 * {@code logging.access_log} says where (see {@link LoggingSettings}); off by default.
 *
 * <p>Cheap on the event loop: when off, {@link #log} is one field read; when on, it only takes
 * the exchange's fields as they are into an {@link AccessRecord} (no string building, no
 * conversion) and hands it to logback's async appender, whose worker thread formats the JSON
 * ({@link JsonLines#access}) and writes it.
 */
public final class AccessLog {

    /** The logger the access lines go to; its appenders are set by {@link LogSinks}. */
    public static final String LOGGER = "graft.access";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    public static final AccessLog OFF = new AccessLog(false);

    private final boolean on;

    private AccessLog(boolean on) {
        this.on = on;
    }

    /**
     * The access log of a config generation. Points the access and error loggers where the
     * config says (idempotent: a reload that keeps the targets keeps the appenders).
     */
    public static AccessLog of(GraftConfig config) {
        requireNonNull(config, "config");
        LoggingSettings settings = LoggingSettings.read(config.raw(), Path.of(""));
        LogSinks.apply(settings);
        return settings.access() instanceof LoggingSettings.Target.Off ? OFF : new AccessLog(true);
    }

    public boolean on() {
        return on;
    }

    /**
     * Logs the request that just finished.
     *
     * @param customer the customer name, "" when none was resolved
     * @param status   the status sent
     */
    public void log(Exchange ex, String customer, int status) {
        if (!on) {
            return;
        }
        long now = System.nanoTime();
        String length = ex.responseHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
        LOG.info("access", new AccessRecord(ex.startEpochMillis(), ex.requestId(), customer, ex.method(),
                ex.uri(), status, length, ex.output().size(), now - ex.startNanos(),
                ex.upstream().orElse(""), ex.remote(),
                ex.requestHeaders().get(HttpHeaderNames.HOST), ex.requestHeaders().get(HttpHeaderNames.USER_AGENT)));
    }

    /**
     * What one access line says, taken as-is on the event loop and formatted later.
     *
     * @param responseLength the Content-Length sent, null when the body was chunked or streamed
     * @param localBytes     the body Graft itself produced (0 for a proxied response)
     */
    public record AccessRecord(long startEpochMillis, String requestId, String customer, String method, String uri,
                               int status, String responseLength, int localBytes, long durationNanos,
                               String upstream, InetSocketAddress remote, String host, String userAgent) {}
}
