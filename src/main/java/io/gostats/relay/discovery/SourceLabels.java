package io.gostats.relay.discovery;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.gostats.relay.model.ExpvarKeys;
import io.gostats.relay.model.SourceFormat;

/**
 * How a container's replies are read, from its labels: {@code gostats.format} ({@code auto}, {@code gostats},
 * {@code prometheus}, {@code expvar}; none: the configured default) and {@code gostats.expvar.goroutines},
 * {@code gostats.expvar.gomaxprocs}, {@code gostats.expvar.cgo-calls} (the expvar variable that holds the figure,
 * replacing the common names). An unknown value or {@code gostats.expvar.*} label is an error of that container.
 */
record SourceLabels(Optional<SourceFormat> format, ExpvarKeys expvar) {

    static final String FORMAT_LABEL = "gostats.format";
    static final String EXPVAR_PREFIX = "gostats.expvar.";
    static final String GOROUTINES = EXPVAR_PREFIX + "goroutines";
    static final String GOMAXPROCS = EXPVAR_PREFIX + "gomaxprocs";
    static final String CGO_CALLS = EXPVAR_PREFIX + "cgo-calls";
    private static final List<String> EXPVAR_LABELS = List.of(GOROUTINES, GOMAXPROCS, CGO_CALLS);

    /** @throws LabelException naming the label and what is wrong with it */
    static SourceLabels of(Map<String, String> labels, Optional<SourceFormat> defaultFormat) {
        Optional<SourceFormat> format = defaultFormat;
        String f = labels.get(FORMAT_LABEL);
        if (f != null) {
            try {
                format = SourceFormat.choice(f);
            } catch (IllegalArgumentException e) {
                throw new LabelException(FORMAT_LABEL, PathSpec.printable(e.getMessage()));
            }
        }
        for (String label : labels.keySet()) {
            if (label.startsWith(EXPVAR_PREFIX) && !EXPVAR_LABELS.contains(label)) {
                throw new LabelException(PathSpec.printable(label), "unknown; one of " + EXPVAR_LABELS);
            }
        }
        ExpvarKeys common = ExpvarKeys.COMMON;
        ExpvarKeys keys = new ExpvarKeys(key(labels, GOROUTINES, common::goroutines),
                key(labels, GOMAXPROCS, common::gomaxprocs), key(labels, CGO_CALLS, common::cgoCalls));
        return new SourceLabels(format, keys);
    }

    private static List<String> key(Map<String, String> labels, String label,
            java.util.function.Supplier<List<String>> common) {
        String v = labels.get(label);
        if (v == null) {
            return common.get();
        }
        if (v.isBlank() || v.length() > 200 || !v.equals(PathSpec.printable(v))) {
            throw new LabelException(label, "'" + PathSpec.printable(v)
                    + "' is not a variable name (1 to 200 printable characters)");
        }
        return List.of(v);
    }

    /** A bad label, before the container it belongs to is known. */
    static final class LabelException extends IllegalArgumentException {
        final String label;

        LabelException(String label, String why) {
            super(why);
            this.label = label;
        }
    }
}
