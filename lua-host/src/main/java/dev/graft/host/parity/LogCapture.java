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
 * every level is seen; each thread reads back only its own records.
 */
final class LogCapture extends AppenderBase<ILoggingEvent> {

    /** Records by the thread that logged them: modules are compared on parallel threads. */
    private final java.util.concurrent.ConcurrentHashMap<Thread, List<String>> records =
            new java.util.concurrent.ConcurrentHashMap<>();

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
        String msg = e.getFormattedMessage();
        // drop "[request id] ": the ids are equal by construction, and the line stays readable
        if (msg.startsWith("[")) {
            int close = msg.indexOf("] ");
            if (close > 0) {
                msg = msg.substring(close + 2);
            }
        }
        records.computeIfAbsent(Thread.currentThread(), t -> new ArrayList<>()).add(e.getLevel() + " " + msg);
    }

    /** The calling thread's records since its last call, and forgets them. */
    List<String> drain() {
        List<String> mine = records.get(Thread.currentThread());
        if (mine == null || mine.isEmpty()) {
            return List.of();
        }
        List<String> out = List.copyOf(mine);
        mine.clear();
        return out;
    }

    /** Forgets the calling thread's buffer (its module is done). */
    void release() {
        records.remove(Thread.currentThread());
    }
}
