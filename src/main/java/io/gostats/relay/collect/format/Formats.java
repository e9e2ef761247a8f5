package io.gostats.relay.collect.format;

import java.util.Optional;

import io.gostats.relay.collect.FetchException;
import io.gostats.relay.model.ExpvarKeys;
import io.gostats.relay.model.GoRuntime;
import io.gostats.relay.model.SourceFormat;

/**
 * Reads a reply in whichever of the three formats it is. A forced format (label {@code gostats.format} or
 * {@code relay.collect.format}) is read as that one. Else the Content-Type decides when it names a format; both JSON
 * formats share {@code application/json}, so an object with a {@code memstats} object is expvar and any other is
 * read as golang-stats (which must then carry one of its figures). Without a Content-Type, or with one that names no
 * format, the body decides: {@code {} → JSON; {@code #}, a letter, {@code _} or {@code :} → text; anything else →
 * protobuf. Protobuf has no magic number (a first family of 123 bytes starts {@code "{\n"}, one of 35 bytes with
 * {@code #}), so a body that fails as JSON or text gets one protobuf attempt before it is called malformed.
 */
public final class Formats {

    /**
     * The one Accept of every fetch: client_golang's delimited protobuf first, text 0.0.4 next, JSON last (the two
     * JSON handlers ignore it). Never a bare {@code *}/{@code *} (newer prometheus/common answers it with the first
     * format it knows) and never OpenMetrics (client_golang's OpenMetrics of the Go collector is not valid).
     */
    public static final String ACCEPT = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
            + "encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3,application/json;q=0.2";

    private Formats() {
    }

    /**
     * Loads and initialises every reader once, off the event loop: the generated protobuf classes take half a second
     * to initialise on a busy machine, which on the event loop of the first cycle would hold up every fetch there.
     */
    public static void preload() {
        read("{\"memstats\":{}}".getBytes(java.nio.charset.StandardCharsets.UTF_8), null, Optional.empty(),
                ExpvarKeys.COMMON);
        read("go_goroutines 1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), null, Optional.empty(),
                ExpvarKeys.COMMON);
        PrometheusProtobufParser.INSTANCE.runtimeOf(new byte[0]);
        // the odd tokens too, which go to databind's readers
        StatsParser.parse("{\"goroutine_num\":\"1\",\"gc_per_second\":\"1\",\"go_version\":1}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** @throws FetchException (malformed) when the body is none of the formats, saying why */
    public static GoRuntime read(byte[] body, String contentType, Optional<SourceFormat> forced, ExpvarKeys keys) {
        if (body.length == 0) {
            throw ExpositionValues.malformed("empty body");
        }
        MediaType type = MediaType.parse(contentType);
        if (forced.isPresent()) {
            return switch (forced.get()) {
                case GOSTATS -> StatsParser.parse(body);
                case EXPVAR -> new ExpvarParser(keys).runtimeOf(body);
                case PROMETHEUS -> type != null && type.isPrometheusProtobuf()
                        ? PrometheusProtobufParser.INSTANCE.runtimeOf(body) : prometheus(body, type);
            };
        }
        if (type != null && type.isJson()) {
            return json(body, keys);
        }
        if (type != null && type.isOpenMetrics()) {
            throw ExpositionValues.malformed("unsupported format: " + contentType
                    + " (OpenMetrics is not read; the relay does not ask for it)");
        }
        if (type != null && (type.isPrometheusText() || type.isPrometheusProtobuf())) {
            return prometheus(body, type);
        }
        return sniffed(body, keys);
    }

    private static GoRuntime prometheus(byte[] body, MediaType type) {
        if (type != null && type.isPrometheusProtobuf()) {
            return PrometheusProtobufParser.INSTANCE.runtimeOf(body);
        }
        if (type != null && type.isPrometheusText()) {
            return PrometheusTextParser.INSTANCE.runtimeOf(body);
        }
        return orProtobuf(body, () -> PrometheusTextParser.INSTANCE.runtimeOf(body));
    }

    /**
     * golang-stats in one streaming pass first, which stops at a {@code memstats} object (expvar, read as a tree).
     * A body that is not a good golang-stats object is read again the whole way (tree, then the detection): its
     * failure is then said exactly as before, and an odd expvar reply (a key before {@code memstats} that would fail
     * as a golang-stats figure) is still read as expvar.
     */
    private static GoRuntime json(byte[] body, ExpvarKeys keys) {
        try {
            GoStats stats = StatsParser.readUnlessExpvar(body);
            if (stats != null) {
                return stats.toRuntime();
            }
        } catch (FetchException e) {
            // read below, where it fails again saying why
        }
        var root = Json.readObject(body);
        return ExpvarParser.isExpvar(root) ? new ExpvarParser(keys).fromTree(root) : StatsParser.parse(body);
    }

    private static GoRuntime sniffed(byte[] body, ExpvarKeys keys) {
        int i = 0;
        while (i < body.length && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r')) {
            i++;
        }
        int c = i < body.length ? body[i] : -1;
        if (c == '{') {
            return orProtobuf(body, () -> json(body, keys));
        }
        if (c == '#' || c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            return orProtobuf(body, () -> PrometheusTextParser.INSTANCE.runtimeOf(body));
        }
        try {
            return PrometheusProtobufParser.INSTANCE.runtimeOf(body);
        } catch (FetchException e) {
            throw ExpositionValues.malformed("body fits no format (not JSON, Prometheus text or protobuf): "
                    + e.getMessage());
        }
    }

    /** The first reading, or else protobuf; when both fail, the first reading's complaint. */
    private static GoRuntime orProtobuf(byte[] body, java.util.function.Supplier<GoRuntime> first) {
        try {
            return first.get();
        } catch (FetchException e) {
            try {
                return PrometheusProtobufParser.INSTANCE.runtimeOf(body);
            } catch (FetchException ignored) {
                throw e;
            }
        }
    }
}
