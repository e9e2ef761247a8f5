package io.gostats.relay;

import java.io.UncheckedIOException;
import java.util.function.Supplier;
import java.util.regex.PatternSyntaxException;

/** Turns a property's value into what the relay uses; a bad value stops start-up with an error naming it. */
public final class ConfigProperty {

    private ConfigProperty() {
    }

    public static <T> T parse(String name, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(name + ": invalid regex: " + e.getDescription(), e);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }
}
