package io.gostats.relay.config;

import java.io.UncheckedIOException;
import java.util.function.Supplier;
import java.util.regex.PatternSyntaxException;

/** Turns a property's value into what the relay uses; a bad value stops start-up with an error naming it. */
public final class ConfigProperty {

    private ConfigProperty() {
    }

    /** {@code value}, unless it is zero or negative: then a start-up error naming the property and the value. */
    public static java.time.Duration positive(String name, java.time.Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": must be positive, was " + value);
        }
        return value;
    }

    /** {@code value}, unless it is below {@code min}: then a start-up error naming the property and the value. */
    public static long atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + ": must be at least " + min + ", was " + value);
        }
        return value;
    }

    public static <T> T parse(String name, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(name + ": invalid regex '" + e.getPattern() + "': " + e.getDescription(), e);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }
}
