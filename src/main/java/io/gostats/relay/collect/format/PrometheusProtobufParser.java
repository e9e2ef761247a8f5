package io.gostats.relay.collect.format;

import java.io.IOException;
import java.util.regex.Pattern;

import io.gostats.relay.model.GoRuntime;
// the version-free alias: its nested types are those of the generated class of the bundled protobuf version
import io.prometheus.metrics.expositionformats.generated.Metrics;

/**
 * The delimited protobuf exposition (a varint length, then one {@code io.prometheus.client.MetricFamily}, repeated),
 * read with client_java's generated client_model classes (the version-free alias of the generated package). Fields
 * newer than Debian's client_model 0.3 (unit, created timestamps) are read or skipped alike. Protobuf has no magic
 * number and a few bytes of anything may decode as a message, so every family must be named like a metric: a body
 * that is not an exposition fails here rather than reading as an empty one.
 */
final class PrometheusProtobufParser implements FormatParser {

    static final PrometheusProtobufParser INSTANCE = new PrometheusProtobufParser();

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    @Override
    public GoRuntime runtimeOf(byte[] body) {
        ExpositionValues values = new ExpositionValues();
        int pos = 0;
        try {
            while (pos < body.length) {
                // the varint length of the next message, read here so that each message is parsed in place from
                // the body (parseDelimitedFrom on a stream allocates a 4 KB buffer per family)
                long length = 0;
                int shift = 0;
                byte b;
                do {
                    if (pos >= body.length || shift > 28) {
                        throw ExpositionValues.malformed("protobuf exposition: a broken length at byte " + pos);
                    }
                    b = body[pos++];
                    length |= (long) (b & 0x7f) << shift;
                    shift += 7;
                } while ((b & 0x80) != 0);
                if (length > body.length - pos) {
                    throw ExpositionValues.malformed("protobuf exposition: a message of " + length
                            + " bytes with " + (body.length - pos) + " left (cut short?)");
                }
                read(Metrics.MetricFamily.parser().parseFrom(body, pos, (int) length), values);
                pos += (int) length;
            }
        } catch (IOException e) {
            throw ExpositionValues.malformed("protobuf exposition: " + e.getMessage());
        }
        return values.toRuntime();
    }

    private static void read(Metrics.MetricFamily family, ExpositionValues values) {
        String name = family.getName();
        if (!METRIC_NAME.matcher(name).matches()) {
            throw ExpositionValues.malformed("protobuf exposition: a family named '" + printable(name) + "'");
        }
        for (Metrics.Metric m : family.getMetricList()) {
            if (name.equals("go_info")) {
                m.getLabelList().stream().filter(l -> l.getName().equals("version")).map(Metrics.LabelPair::getValue)
                        .findFirst().ifPresent(values::goVersion);
            }
            if (m.getLabelCount() > 0) {
                continue;
            }
            switch (family.getType()) {
                case COUNTER -> values.put(name, m.getCounter().getValue());
                case GAUGE -> values.put(name, m.getGauge().getValue());
                case UNTYPED -> values.put(name, m.getUntyped().getValue());
                case SUMMARY -> {
                    values.put(name + "_sum", m.getSummary().getSampleSum());
                    values.put(name + "_count", (double) m.getSummary().getSampleCount());
                }
                case HISTOGRAM, GAUGE_HISTOGRAM -> {
                    values.put(name + "_sum", m.getHistogram().getSampleSum());
                    values.put(name + "_count", (double) m.getHistogram().getSampleCount());
                }
                default -> {
                    // a type newer than these classes: not one the record reads
                }
            }
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
