package dev.graft.host.parity;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures the log records stages write ({@code ngx.log} and {@code StageExchange.log} both go
 * to the {@code graft.lua} logger as {@code [request id] phase: message}) while a parity side
 * runs, as effects to compare. Installing it turns that logger to DEBUG without printing, so
 * every level is seen; only records of the capturing thread are kept.
 */
final class LogCapture extends AppenderBase<ILoggingEvent> {

    private final Thread owner = Thread.currentThread();
    private final List<String> records = new ArrayList<>();

    /** Attaches a capture to the stage logger and returns it. */
    static LogCapture install() {
        Logger logger = (Logger) LoggerFactory.getLogger("graft.lua");
        LogCapture c = new LogCapture();
        c.setName("parity-capture");
        c.setContext(logger.getLoggerContext());
        c.start();
        logger.setLevel(Level.DEBUG);
        logger.setAdditive(false);
        logger.addAppender(c);
        return c;
    }

    /** Detaches every capture and gives the logger back its configured level. */
    void uninstall() {
        Logger logger = (Logger) LoggerFactory.getLogger("graft.lua");
        logger.detachAppender(this);
        logger.setLevel(null);
        logger.setAdditive(true);
        stop();
    }

    @Override
    protected void append(ILoggingEvent e) {
        if (Thread.currentThread() != owner) {
            return;
        }
        String msg = e.getFormattedMessage();
        // drop "[request id] ": the ids are equal by construction, and the line stays readable
        if (msg.startsWith("[")) {
            int close = msg.indexOf("] ");
            if (close > 0) {
                msg = msg.substring(close + 2);
            }
        }
        records.add(e.getLevel() + " " + msg);
    }

    /** The records since the last call, and forgets them. */
    List<String> drain() {
        List<String> out = List.copyOf(records);
        records.clear();
        return out;
    }
}
