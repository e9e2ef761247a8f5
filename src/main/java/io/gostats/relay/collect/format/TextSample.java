package io.gostats.relay.collect.format;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One sample line of the text format: {@code name[{label="value",...}] value [timestamp]}, tokens separated by blanks
 * or tabs. {@code quotedName}: the UTF-8 syntax, the name quoted inside the braces ({@code {"my.metric",a="b"}});
 * such a sample is checked and then not read.
 */
record TextSample(String name, boolean quotedName, Map<String, String> labels, double value) {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern TIMESTAMP = Pattern.compile("-?\\d{1,19}");
    static final Pattern BLANKS = Pattern.compile("[ \t]+");

    static void checkMetricName(String name) {
        if (!METRIC_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a metric name");
        }
    }

    /** Blanks and tabs only: other whitespace (a CR of CRLF line ends) is not a separator in this format. */
    static String trimBlanks(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && isBlank(s.charAt(a))) {
            a++;
        }
        while (b > a && isBlank(s.charAt(b - 1))) {
            b--;
        }
        return s.substring(a, b);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    /** @throws IllegalArgumentException saying what is wrong with the (trimmed, non-empty) line */
    static TextSample parse(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && !isBlank(line.charAt(i))) {
            i++;
        }
        String name = line.substring(0, i);
        Map<String, String> labels = new HashMap<>();
        String quoted = null;
        if (i < line.length() && line.charAt(i) == '{') {
            Labels parsed = new Labels(line, i + 1);
            quoted = parsed.read(labels);
            i = parsed.pos;
        }
        if (name.isEmpty() && quoted == null) {
            throw new IllegalArgumentException("a sample without a metric name");
        }
        if (!name.isEmpty()) {
            checkMetricName(name);
            if (quoted != null) {
                throw new IllegalArgumentException("metric " + name + " is named twice");
            }
        }
        String[] rest = BLANKS.split(trimBlanks(line.substring(i)));
        if (i < line.length() && !isBlank(line.charAt(i))) {
            throw new IllegalArgumentException("no blank between the labels and the value");
        }
        if (rest.length == 0 || rest[0].isEmpty() || rest.length > 2) {
            throw new IllegalArgumentException("expected a value and at most a timestamp after " + name);
        }
        double value;
        try {
            value = GoFloat.parse(rest[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("value of " + name + ": " + e.getMessage());
        }
        if (rest.length == 2) {
            checkTimestamp(rest[1]);
        }
        return new TextSample(quoted == null ? name : quoted, quoted != null, labels, value);
    }

    private static void checkTimestamp(String ts) {
        try {
            if (TIMESTAMP.matcher(ts).matches()) {
                Long.parseLong(ts);
                return;
            }
        } catch (NumberFormatException e) {
            // past int64: same answer as any other bad token
        }
        throw new IllegalArgumentException("'" + ts + "' is not a timestamp (int64 milliseconds)");
    }

    /** The label set after its '{': pairs separated by commas (a trailing one allowed), up to '}'. */
    private static final class Labels {
        private final String s;
        private int pos;

        Labels(String s, int pos) {
            this.s = s;
            this.pos = pos;
        }

        /** Reads the pairs into {@code into}; returns the quoted metric name of the UTF-8 syntax, or null. */
        String read(Map<String, String> into) {
            String quotedName = null;
            boolean first = true;
            while (true) {
                skipBlanks();
                if (at('}')) {
                    pos++;
                    return quotedName;
                }
                String label;
                if (at('"')) {
                    label = quoted();
                    skipBlanks();
                    if (first && (at(',') || at('}'))) { // {"name", ...}: the metric's name
                        quotedName = label;
                        first = false;
                        if (at(',')) {
                            pos++;
                        }
                        continue;
                    }
                } else {
                    int start = pos;
                    while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                        pos++;
                    }
                    label = s.substring(start, pos);
                    if (!LABEL_NAME.matcher(label).matches()) {
                        throw new IllegalArgumentException("'" + label + "' is not a label name");
                    }
                    skipBlanks();
                }
                first = false;
                expect('=');
                skipBlanks();
                if (!at('"')) {
                    throw new IllegalArgumentException("label " + label + ": value is not quoted");
                }
                if (into.put(label, quoted()) != null) {
                    throw new IllegalArgumentException("label " + label + " appears twice");
                }
                skipBlanks();
                if (at(',')) {
                    pos++;
                } else if (!at('}')) {
                    throw new IllegalArgumentException("expected , or } after label " + label);
                }
            }
        }

        /** A quoted string with the escapes {@code \\ \" \n}; any other escape is an error. */
        private String quoted() {
            StringBuilder b = new StringBuilder();
            pos++;
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    char e = pos < s.length() ? s.charAt(pos++) : ' ';
                    switch (e) {
                        case '\\' -> b.append('\\');
                        case '"' -> b.append('"');
                        case 'n' -> b.append('\n');
                        default -> throw new IllegalArgumentException("invalid escape \\" + e + " in a label value");
                    }
                } else {
                    b.append(c);
                }
            }
            throw new IllegalArgumentException("label value not closed");
        }

        private boolean at(char c) {
            return pos < s.length() && s.charAt(pos) == c;
        }

        private void expect(char c) {
            if (!at(c)) {
                throw new IllegalArgumentException("expected '" + c + "' at column " + (pos + 1));
            }
            pos++;
        }

        private void skipBlanks() {
            while (pos < s.length() && isBlank(s.charAt(pos))) {
                pos++;
            }
        }
    }
}
