package io.gostats.relay.e2e;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/**
 * The relay's own log lines ({@code io.gostats.relay.*}) while a test runs in-process with it: what an operator would
 * read during a fault. Attach before the fault, {@link #close()} after.
 */
final class LogCapture extends Handler implements AutoCloseable {

    record Line(Level level, String logger, String message) {

        boolean warnOrWorse() {
            return level.intValue() >= Level.WARNING.intValue();
        }

        boolean info() {
            return level.intValue() >= Level.INFO.intValue() && level.intValue() < Level.WARNING.intValue();
        }

        @Override
        public String toString() {
            return level + " [" + logger.substring(logger.lastIndexOf('.') + 1) + "] " + message;
        }
    }

    private final Logger logger = Logger.getLogger("io.gostats.relay");
    private final List<Line> lines = new CopyOnWriteArrayList<>();

    private LogCapture() {
    }

    static LogCapture start() {
        LogCapture c = new LogCapture();
        c.logger.addHandler(c);
        return c;
    }

    @Override
    public void publish(LogRecord r) {
        String message = r instanceof ExtLogRecord ext ? ext.getFormattedMessage() : r.getMessage();
        lines.add(new Line(r.getLevel(), String.valueOf(r.getLoggerName()), String.valueOf(message)));
    }

    List<Line> lines() {
        return List.copyOf(lines);
    }

    List<Line> lines(Predicate<Line> which) {
        return lines.stream().filter(which).toList();
    }

    List<Line> warnings() {
        return lines(Line::warnOrWorse);
    }

    /** Lines of the class {@code simpleName} (e.g. SourceHealth). */
    static Predicate<Line> from(String simpleName) {
        return l -> l.logger().endsWith("." + simpleName);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
