package dev.graft.host.log;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Points logback where {@link LoggingSettings} says: the {@code graft.access} logger (alone,
 * not additive) and a JSON error appender on {@code dev.graft} (WARN and up, next to the text
 * lines on stderr). Each sink is an {@link AsyncAppender} (queue 8192, never blocks the
 * caller, nothing discarded below a full queue) around a file or console appender.
 *
 * <p>Logback's configuration is one per process; the last config applied wins. Appenders are
 * named by their target, so applying the same settings again (a reload) changes nothing.
 */
final class LogSinks {

    private static final String ACCESS = "graft-access-json:";
    private static final String ERROR = "graft-error-json:";

    private LogSinks() {}

    static void apply(LoggingSettings settings) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding: its own configuration decides
        }
        synchronized (LogSinks.class) {
            Logger access = context.getLogger(AccessLog.LOGGER);
            access.setAdditive(false);
            replace(context, access, ACCESS, settings.access(), new JsonLines.Access(), Level.INFO);
            access.setLevel(settings.access() instanceof LoggingSettings.Target.Off ? Level.OFF : Level.INFO);
            replace(context, context.getLogger("dev.graft"), ERROR, settings.error(), new JsonLines.Error(), Level.WARN);
        }
    }

    private static void replace(LoggerContext context, Logger logger, String prefix, LoggingSettings.Target target,
                                LayoutBase<ILoggingEvent> layout, Level threshold) {
        String name = prefix + target.describe();
        List<Appender<ILoggingEvent>> old = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = logger.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> a = it.next();
            if (a.getName() != null && a.getName().startsWith(prefix)) {
                old.add(a);
            }
        }
        if (old.size() == 1 && old.getFirst().getName().equals(name)) {
            return;
        }
        for (Appender<ILoggingEvent> a : old) {
            logger.detachAppender(a);
            a.stop();
        }
        if (target instanceof LoggingSettings.Target.Off) {
            return;
        }
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.setCharset(java.nio.charset.StandardCharsets.UTF_8);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> out = switch (target) {
            case LoggingSettings.Target.File f -> {
                FileAppender<ILoggingEvent> file = new FileAppender<>();
                file.setFile(f.path().toString());
                file.setAppend(true);
                yield file;
            }
            case LoggingSettings.Target.Stdout s -> console("System.out");
            case LoggingSettings.Target.Stderr s -> console("System.err");
            case LoggingSettings.Target.Off o -> throw new IllegalStateException("off has no appender");
        };
        out.setContext(context);
        out.setName(name + ":out");
        out.setEncoder(encoder);
        out.start();
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName(name);
        async.setQueueSize(8192);
        async.setDiscardingThreshold(0);
        async.setNeverBlock(true);
        ThresholdFilter filter = new ThresholdFilter();
        filter.setLevel(threshold.toString());
        filter.start();
        async.addFilter(filter);
        async.addAppender(out);
        async.start();
        logger.addAppender(async);
    }

    private static ConsoleAppender<ILoggingEvent> console(String target) {
        ConsoleAppender<ILoggingEvent> c = new ConsoleAppender<>();
        c.setTarget(target);
        return c;
    }
}
