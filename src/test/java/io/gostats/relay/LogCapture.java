package io.gostats.relay;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/** The warnings one class logs while the capture is open. */
public final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<String> messages = new CopyOnWriteArrayList<>();

    private LogCapture(Class<?> source) {
        this.logger = Logger.getLogger(source.getName());
        logger.addHandler(this);
    }

    public static LogCapture of(Class<?> source) {
        return new LogCapture(source);
    }

    /** Warnings and errors, formatted. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Every message at INFO or above, formatted. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void publish(LogRecord r) {
        String text = r instanceof ExtLogRecord e ? e.getFormattedMessage() : r.getMessage();
        if (r.getLevel().intValue() >= Level.INFO.intValue()) {
            messages.add(text);
        }
        if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.add(text);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
