package io.gostats.relay.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Prometheus text format of /q/metrics, parsed into samples (name, labels, value) and family types. */
public record Exposition(String text, List<Exposition.Sample> samples, Map<String, String> types) {

    public record Sample(String name, Map<String, String> labels, double value) {

        public boolean hasLabels(Map<String, String> subset) {
            return labels.entrySet().containsAll(subset.entrySet());
        }
    }

    private static final Pattern LINE =
            Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?[ \\t]+(\\S+)(?:[ \\t]+-?\\d+)?");
    private static final Pattern LABEL =
            Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?");

    public static Exposition parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] p = line.split(" ");
                types.put(p[2], p[3]);
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                int end = 0;
                while (l.lookingAt()) {
                    labels.put(l.group(1), unescape(l.group(2)));
                    end = l.end();
                    l.region(end, m.group(2).length());
                }
                if (end != m.group(2).length()) {
                    throw new IllegalArgumentException("bad labels in: " + line);
                }
            }
            samples.add(new Sample(m.group(1), labels, parseValue(m.group(3))));
        }
        return new Exposition(text, List.copyOf(samples), Map.copyOf(types));
    }

    private static double parseValue(String v) {
        return switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(v);
        };
    }

    private static String unescape(String v) {
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                char n = v.charAt(++i);
                b.append(n == 'n' ? '\n' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    public List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    public List<Sample> where(Predicate<Sample> p) {
        return samples.stream().filter(p).toList();
    }

    /** The value of the one sample named {@code name} whose labels include {@code subset}; fails on several. */
    public Optional<Double> value(String name, Map<String, String> subset) {
        List<Sample> found = named(name).stream().filter(s -> s.hasLabels(subset)).toList();
        if (found.size() > 1) {
            throw new IllegalStateException(found.size() + " samples of " + name + " have " + subset + ": " + found);
        }
        return found.stream().findFirst().map(Sample::value);
    }

    /** Every per-task sample ({@code gostats_*}). */
    public List<Sample> taskSamples() {
        return where(s -> s.name().startsWith("gostats_"));
    }
}
