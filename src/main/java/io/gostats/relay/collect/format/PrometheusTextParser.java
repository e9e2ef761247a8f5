package io.gostats.relay.collect.format;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import io.gostats.relay.model.GoRuntime;

/**
 * A strict reader of the Prometheus text format 0.0.4 (no maintained Java library reads it). Every line is checked,
 * and any syntax error rejects the whole body: a half-understood exposition is reported, never shown. Checked:
 * UTF-8, the final newline (a body cut short usually lacks it), HELP escapes ({@code \\}, {@code \n}), one HELP and
 * one TYPE per family with TYPE before the family's first sample, known types, metric and label names, label value
 * escapes ({@code \\ \" \n}), Go float syntax ({@link GoFloat}), int64 millisecond timestamps, a quantile label on a
 * summary's samples and an {@code le} on a histogram's buckets, no sample twice. The UTF-8 syntax with a quoted name
 * in the braces is accepted and skipped. OpenMetrics is not read (the relay never asks for it).
 */
final class PrometheusTextParser implements FormatParser {

    static final PrometheusTextParser INSTANCE = new PrometheusTextParser();

    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    @Override
    public GoRuntime runtimeOf(byte[] body) {
        String text = utf8(body);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw ExpositionValues.malformed("text exposition: the last line does not end in a newline (cut short?)");
        }
        ExpositionValues values = new ExpositionValues();
        Families families = new Families();
        int lineNo = 0;
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            lineNo++;
            try {
                line(text.substring(start, end), families, values);
            } catch (IllegalArgumentException e) {
                throw ExpositionValues.malformed("text exposition, line " + lineNo + ": " + e.getMessage());
            }
            start = end + 1;
        }
        return values.toRuntime();
    }

    /** HELP and TYPE seen per family, and families that already have samples. */
    private static final class Families {
        final Set<String> help = new HashSet<>();
        final Map<String, String> type = new HashMap<>();
        final Set<String> sampled = new HashSet<>();
    }

    private static void line(String raw, Families families, ExpositionValues values) {
        String line = TextSample.trimBlanks(raw);
        if (line.isEmpty()) {
            return;
        }
        if (line.charAt(0) == '#') {
            comment(TextSample.trimBlanks(line.substring(1)), families);
            return;
        }
        TextSample s = TextSample.parse(line);
        String family = familyOf(s.name(), families);
        String type = families.type.getOrDefault(family, "untyped");
        if (type.equals("summary") && s.name().equals(family) && !s.labels().containsKey("quantile")) {
            throw new IllegalArgumentException("summary sample " + s.name() + " has no quantile label");
        }
        if (type.equals("histogram") && s.name().equals(family + "_bucket") && !s.labels().containsKey("le")) {
            throw new IllegalArgumentException("histogram bucket " + s.name() + " has no le label");
        }
        families.sampled.add(family);
        if (s.name().equals("go_info") && s.labels().containsKey("version")) {
            values.goVersion(s.labels().get("version"));
        } else if (s.labels().isEmpty() && !s.quotedName()) {
            values.put(s.name(), s.value());
        }
    }

    /** {@code x_sum}, {@code x_count} (and {@code x_bucket}) belong to x only when x is a summary or histogram. */
    private static String familyOf(String name, Families families) {
        for (String suffix : new String[] { "_sum", "_count", "_bucket" }) {
            if (name.endsWith(suffix)) {
                String stem = name.substring(0, name.length() - suffix.length());
                String t = families.type.get(stem);
                if ("summary".equals(t) && !suffix.equals("_bucket") || "histogram".equals(t)) {
                    return stem;
                }
            }
        }
        return name;
    }

    private static void comment(String rest, Families families) {
        String[] tokens = TextSample.BLANKS.split(rest, 3);
        String keyword = tokens[0];
        if (!keyword.equals("HELP") && !keyword.equals("TYPE")) {
            return; // an ordinary comment
        }
        if (tokens.length < 2) {
            throw new IllegalArgumentException(keyword + " without a metric name");
        }
        String name = tokens[1];
        TextSample.checkMetricName(name);
        String arg = tokens.length == 3 ? tokens[2] : "";
        if (keyword.equals("HELP")) {
            checkHelpEscapes(arg);
            if (!families.help.add(name)) {
                throw new IllegalArgumentException("second HELP line for " + name);
            }
            return;
        }
        if (!TYPES.contains(arg.strip())) {
            throw new IllegalArgumentException("unknown type '" + arg + "' for " + name);
        }
        if (families.type.putIfAbsent(name, arg.strip()) != null) {
            throw new IllegalArgumentException("second TYPE line for " + name);
        }
        if (families.sampled.contains(name)) {
            throw new IllegalArgumentException("TYPE line for " + name + " after its first sample");
        }
    }

    private static void checkHelpEscapes(String doc) {
        for (int i = 0; i < doc.length(); i++) {
            if (doc.charAt(i) == '\\') {
                char next = i + 1 < doc.length() ? doc.charAt(i + 1) : ' ';
                if (next != '\\' && next != 'n') {
                    throw new IllegalArgumentException("invalid escape \\" + next + " in HELP");
                }
                i++;
            }
        }
    }

    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw ExpositionValues.malformed("text exposition is not UTF-8");
        }
    }
}
