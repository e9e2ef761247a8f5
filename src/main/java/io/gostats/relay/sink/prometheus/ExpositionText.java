package io.gostats.relay.sink.prometheus;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Writes metric families in the Prometheus text format 0.0.4 or in OpenMetrics 1.0 text straight into bytes. This is
 * the one format the relay writes by hand (the reference explains why: no library streams it from our own records):
 * the client library would first copy every sample into its objects, then build the whole text as one string (3.3 MB
 * at 1,000 targets, built again for every scrape). Here each target's label block is encoded once and every sample
 * line is a copy of it plus the value.
 *
 * <p>
 * The two formats differ only where the relay's families show it: a counter's {@code # HELP} and {@code # TYPE}
 * name the family with {@code _total} in 0.0.4 (as the Java client writes it) and without it in OpenMetrics, whose
 * text also ends with {@code # EOF} (written by {@link MetricsEndpoint}, after the relay's own meters).
 */
final class ExpositionText {

    private final boolean openMetrics;
    private byte[] buf;
    private int size;
    private int samples;

    ExpositionText(boolean openMetrics, int sizeHint) {
        this.openMetrics = openMetrics;
        this.buf = new byte[Math.max(1024, sizeHint)];
    }

    /** {@code # HELP} and {@code # TYPE} of a family; its samples follow. */
    void family(String name, boolean counter, String help) {
        String shown = counter && !openMetrics ? name + "_total" : name;
        ascii("# HELP ").ascii(shown).put((byte) ' ').help(help).put((byte) '\n');
        ascii("# TYPE ").ascii(shown).ascii(counter ? " counter\n" : " gauge\n");
    }

    /**
     * A target's labels as the start of a label block, {@code {a="x",b="y"}} without its closing brace, so that a
     * sample can add labels of its own; encoded once per target and render.
     */
    static byte[] labels(List<String> names, List<String> values) {
        ExpositionText t = new ExpositionText(false, 64 + 24 * names.size());
        t.put((byte) '{');
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                t.put((byte) ',');
            }
            t.label(names.get(i), values.get(i));
        }
        return Arrays.copyOf(t.buf, t.size);
    }

    /** One sample line with the target's labels. */
    void sample(String name, byte[] labels, double value) {
        ascii(name).bytes(labels).put((byte) '}');
        value(value);
    }

    /** One sample line with the target's labels and labels of its own. */
    void sample(String name, byte[] labels, List<String> names, List<String> values, double value) {
        ascii(name).bytes(labels);
        for (int i = 0; i < names.size(); i++) {
            put((byte) ',').label(names.get(i), values.get(i));
        }
        put((byte) '}');
        value(value);
    }

    int samples() {
        return samples;
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void value(double v) {
        put((byte) ' ');
        if (Double.isNaN(v)) {
            ascii("NaN");
        } else if (Double.isInfinite(v)) {
            ascii(v > 0 ? "+Inf" : "-Inf");
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            digits((long) v); // most values are whole numbers: no Double.toString, no garbage
        } else {
            ascii(Double.toString(v)); // Go's ParseFloat, which Prometheus uses, reads Java's notation too
        }
        put((byte) '\n');
        samples++;
    }

    private void label(String name, String value) {
        ascii(name).ascii("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                escaped(value.substring(i).getBytes(StandardCharsets.UTF_8), true);
                break;
            }
            escape((byte) c, true);
        }
        put((byte) '"');
    }

    private ExpositionText help(String help) {
        escaped(help.getBytes(StandardCharsets.UTF_8), false);
        return this;
    }

    private void escaped(byte[] utf8, boolean quote) {
        for (byte b : utf8) {
            escape(b, quote);
        }
    }

    /** Backslash and newline are escaped in help texts and label values, the double quote in label values only. */
    private void escape(byte b, boolean quote) {
        if (b == '\\') {
            put((byte) '\\').put((byte) '\\');
        } else if (b == '\n') {
            put((byte) '\\').put((byte) 'n');
        } else if (b == '"' && quote) {
            put((byte) '\\').put((byte) '"');
        } else {
            put(b);
        }
    }

    private void digits(long v) {
        if (v < 0) {
            put((byte) '-');
            v = -v;
        }
        if (v < 10) {
            put((byte) ('0' + v));
            return;
        }
        int start = size;
        while (v > 0) {
            put((byte) ('0' + v % 10));
            v /= 10;
        }
        for (int i = start, j = size - 1; i < j; i++, j--) {
            byte x = buf[i];
            buf[i] = buf[j];
            buf[j] = x;
        }
    }

    private ExpositionText ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[size++] = (byte) s.charAt(i); // names and fixed texts are ASCII: one byte per char, no encoder
        }
        return this;
    }

    private ExpositionText bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
        return this;
    }

    private ExpositionText put(byte b) {
        ensure(1);
        buf[size++] = b;
        return this;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
