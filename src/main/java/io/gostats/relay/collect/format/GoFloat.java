package io.gostats.relay.collect.format;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A sample value of the text exposition as Go's {@code strconv.ParseFloat} reads it, which Java's
 * {@code Double.parseDouble} does not: Java rejects {@code +Inf}, {@code -Inf}, {@code Inf} and {@code nan}, and
 * accepts {@code 1f}, {@code 2d}, {@code 0x1p3} and {@code " 7 "}, all of which a Prometheus parser rejects or reads
 * otherwise. So the special tokens are mapped first and the rest must be a plain decimal. Hex floats and digit
 * underscores, which Go would accept, are refused: no exposer writes them.
 */
final class GoFloat {

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private GoFloat() {
    }

    /** @throws NumberFormatException naming the token */
    static double parse(String token) {
        switch (token.toLowerCase(Locale.ROOT)) {
            case "nan", "+nan", "-nan":
                return Double.NaN;
            case "inf", "+inf", "infinity", "+infinity":
                return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (!DECIMAL.matcher(token).matches()) {
            throw new NumberFormatException("'" + token + "' is not a number");
        }
        double v = Double.parseDouble(token);
        if (Double.isInfinite(v)) { // Go: "value out of range"
            throw new NumberFormatException("'" + token + "' is out of range");
        }
        return v;
    }
}
