package io.gostats.relay.sink.mackerel.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A graph annotation as {@code /api/v0/graph-annotations} takes and gives it: times in Unix seconds, {@code roles}
 * role names of {@code service} (null: the whole service's graphs), {@code id} null until Mackerel assigns one.
 * Mackerel refuses a title over {@value #MAX_TITLE} characters and a description over {@value #MAX_DESCRIPTION}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GraphAnnotation(String id, String title, String description, long from, long to, String service,
        List<String> roles) {

    public static final int MAX_TITLE = 250;
    public static final int MAX_DESCRIPTION = 1024;

    /** A new annotation, its texts cut to what Mackerel takes; no roles: the whole service. */
    public static GraphAnnotation of(String title, String description, long from, long to, String service,
            List<String> roles) {
        return new GraphAnnotation(null, clip(title, MAX_TITLE), clip(description, MAX_DESCRIPTION), from, to,
                service, roles.isEmpty() ? null : List.copyOf(roles));
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
