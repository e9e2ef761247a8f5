package io.gostats.relay.model;

/**
 * A catalogue's OTLP column: the metric name (OpenTelemetry semantic conventions where one exists, {@code gostats.*}
 * where none does), its UCUM unit, the instrument it is sent as, and the one point attribute that tells it apart from
 * the other figures sharing the name (null key: none), such as {@code cpu.mode=user} of {@code container.cpu.time}.
 */
public record OtlpName(String name, String unit, Instrument instrument, String attributeKey, String attributeValue) {

    /** How a figure is sent: Counter = monotonic cumulative sum, UpDownCounter = non-monotonic cumulative sum. */
    public enum Instrument {
        GAUGE, COUNTER, UP_DOWN_COUNTER
    }

    public static OtlpName counter(String name, String unit) {
        return new OtlpName(name, unit, Instrument.COUNTER, null, null);
    }

    public static OtlpName upDown(String name, String unit) {
        return new OtlpName(name, unit, Instrument.UP_DOWN_COUNTER, null, null);
    }

    /** The same name with a point attribute. */
    public OtlpName with(String key, String value) {
        return new OtlpName(name, unit, instrument, key, value);
    }
}
