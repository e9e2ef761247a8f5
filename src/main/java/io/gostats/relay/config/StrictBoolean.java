package io.gostats.relay.config;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * {@code true} or {@code false} (any case), nothing else. SmallRye's own boolean converter reads every other word
 * ({@code flase}, {@code enabled}) as false without a word; with this one such a value stops start-up, and SmallRye's
 * error names the property and the value.
 */
public final class StrictBoolean implements Converter<Boolean> {

    @Override
    public Boolean convert(String value) {
        String v = value.strip();
        if (v.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (v.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException("must be true or false, was '" + value + "'");
    }
}
