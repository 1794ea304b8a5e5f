package dev.graft.host.parity;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Keeps every log record that one thread writes while it is quiet from reaching any appender,
 * and hands back the records that would have been written (level at or above the logger's):
 * a Lua shadow logs nothing of its own. Unlike {@link LogCapture} (the parity check's, which
 * takes the stage logger over) it leaves every other thread's logging as it is; for them it
 * costs one field read per log call.
 */
final class QuietLogs extends TurboFilter {

    private volatile Thread quiet;
    private final List<String> records = new ArrayList<>();

    /** A filter installed in the logback context; empty when slf4j is bound to another backend. */
    static Optional<QuietLogs> install() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return Optional.empty();
        }
        QuietLogs q = new QuietLogs();
        q.setName("graft-shadow-quiet");
        q.setContext(context);
        q.start();
        context.addTurboFilter(q);
        return Optional.of(q);
    }

    /** Makes the calling thread quiet until {@link #release}. */
    void hush() {
        records.clear();
        quiet = Thread.currentThread();
    }

    /** Ends the quiet and returns what the thread would have logged. */
    List<String> release() {
        quiet = null;
        List<String> out = List.copyOf(records);
        records.clear();
        return out;
    }

    void uninstall() {
        if (getContext() instanceof LoggerContext context) {
            context.getTurboFilterList().remove(this);
        }
        stop();
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (quiet != Thread.currentThread() || format == null) {
            // format == null: an isXxxEnabled() check; the level decides, the call itself is held back
            return FilterReply.NEUTRAL;
        }
        if (level != null && level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            records.add(level + " " + MessageFormatter.arrayFormat(format, params).getMessage());
        }
        return FilterReply.DENY;
    }
}
