package io.gostats.relay.sink.mackerel.keys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.gostats.relay.model.Target;
import io.gostats.relay.model.TaskFamily;
import io.gostats.relay.model.TaskIdentity;

/**
 * The {@code relay.mackerel.key} template: the key segment of {@code custom.<prefix>.<key>.<graph>.<metric>}.
 * Placeholders:
 * <ul>
 * <li>{@code {port}}: the port fetched, the published host port for a bridge container, as the old shell loop named
 * its series ({@code custom.gostats.32768...});</li>
 * <li>{@code {cport}}: the container port;</li>
 * <li>{@code {task_id}}, {@code {task_short}} (its first 8 characters): the ECS task id, empty for other
 * containers;</li>
 * <li>{@code {family}}: see {@link TaskFamily}, never empty;</li>
 * <li>{@code {container}}: the ECS container name, else the Docker container name. Not the Docker name of an ECS
 * container: that one carries a per-task suffix, so every deploy would start new series;</li>
 * <li>{@code {slot}}: the task's slot, from the snapshot (derive numbers the tasks).</li>
 * </ul>
 * Every character of the result outside {@code [-a-zA-Z0-9_]} becomes {@code _} ({@code my.app/v2} gives
 * {@code my_app_v2}): a {@code .} would split the key into two segments of the metric name. A key that comes out
 * empty (say {@code {task_id}} of a container ECS did not start) falls back to the sanitized container name, else
 * {@code unknown}, because Mackerel rejects a metric name with an empty segment.
 */
public final class KeyTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern OUTSIDE_KEY_CHARS = Pattern.compile("[^-a-zA-Z0-9_]");

    enum Placeholder {
        PORT("port", (t, slot) -> String.valueOf(t.port())),
        CPORT("cport", (t, slot) -> String.valueOf(t.containerPort())),
        TASK_ID("task_id", (t, slot) -> t.identity().taskId()),
        TASK_SHORT("task_short", (t, slot) -> {
            String id = t.identity().taskId();
            return id.substring(0, Math.min(8, id.length()));
        }),
        FAMILY("family", (t, slot) -> TaskFamily.of(t.identity())),
        CONTAINER("container", (t, slot) -> containerOf(t.identity())),
        SLOT("slot", (t, slot) -> String.valueOf(slot));

        final String name;
        final BiFunction<Target, Integer, String> value;

        Placeholder(String name, BiFunction<Target, Integer, String> value) {
            this.name = name;
            this.value = value;
        }

        static Placeholder named(String name) {
            return Arrays.stream(values()).filter(p -> p.name.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown placeholder {" + name + "}; known: "
                            + Arrays.stream(values()).map(p -> "{" + p.name + "}")
                                    .collect(Collectors.joining(", "))));
        }
    }

    /** Literal text, or a placeholder when {@code placeholder} is set. */
    private record Part(String literal, Placeholder placeholder) {
        String render(Target t, int slot) {
            return placeholder == null ? literal : placeholder.value.apply(t, slot);
        }
    }

    private final String source;
    private final List<Part> parts;

    private KeyTemplate(String source, List<Part> parts) {
        this.source = source;
        this.parts = parts;
    }

    /** @throws IllegalArgumentException for an empty template, an unknown placeholder or an unpaired brace */
    public static KeyTemplate parse(String template) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException("empty key template");
        }
        List<Part> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        int end = 0;
        while (m.find()) {
            parts.add(new Part(literal(template, end, m.start()), null));
            parts.add(new Part("", Placeholder.named(m.group(1))));
            end = m.end();
        }
        parts.add(new Part(literal(template, end, template.length()), null));
        return new KeyTemplate(template, List.copyOf(parts));
    }

    private static String literal(String template, int from, int to) {
        String text = template.substring(from, to);
        if (text.indexOf('{') >= 0 || text.indexOf('}') >= 0) {
            throw new IllegalArgumentException("unpaired brace in key template '" + template + "'");
        }
        return text;
    }

    public boolean usesSlot() {
        return parts.stream().anyMatch(p -> p.placeholder() == Placeholder.SLOT);
    }

    /** The sanitized, never empty key of {@code target} holding {@code slot}. */
    public String render(Target target, int slot) {
        StringBuilder key = new StringBuilder();
        parts.forEach(p -> key.append(p.render(target, slot)));
        String sanitized = sanitize(key.toString());
        if (!sanitized.isEmpty()) {
            return sanitized;
        }
        String container = sanitize(containerOf(target.identity()));
        return container.isEmpty() ? TaskFamily.UNKNOWN : container;
    }

    static String sanitize(String s) {
        return OUTSIDE_KEY_CHARS.matcher(s).replaceAll("_");
    }

    private static String containerOf(TaskIdentity identity) {
        return identity.ecsContainer().isEmpty() ? identity.containerName() : identity.ecsContainer();
    }

    @Override
    public String toString() {
        return source;
    }
}
