package io.gostats.relay.discovery;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.github.dockerjava.api.model.Container;

/**
 * Which running containers to watch: a name regex (found anywhere in the name, as Docker's {@code name} filter does),
 * label selectors ({@code key} or {@code key=value}, all must match) and an image. An empty selector picks nothing
 * by itself: {@link ContainerTargets} then keeps the containers that publish the watched port or carry a
 * {@code gostats.port} label.
 */
public record ContainerSelector(Optional<Pattern> name, List<LabelSelector> labels, Optional<String> image) {

    public record LabelSelector(String key, Optional<String> value) {

        public static LabelSelector parse(String spec) {
            int eq = spec.indexOf('=');
            String key = (eq < 0 ? spec : spec.substring(0, eq)).trim();
            if (key.isEmpty()) {
                throw new IllegalArgumentException("'" + spec + "' has no label key");
            }
            return new LabelSelector(key, eq < 0 ? Optional.empty() : Optional.of(spec.substring(eq + 1).trim()));
        }

        boolean matches(Map<String, String> containerLabels) {
            String v = containerLabels.get(key);
            return v != null && value.map(v::equals).orElse(true);
        }
    }

    public boolean isEmpty() {
        return name.isEmpty() && labels.isEmpty() && image.isEmpty();
    }

    public boolean matches(Container c) {
        Map<String, String> l = c.getLabels() == null ? Map.of() : c.getLabels();
        return name.map(p -> p.matcher(ContainerTargets.nameOf(c)).find()).orElse(true)
                && labels.stream().allMatch(s -> s.matches(l))
                && image.map(i -> imageMatches(i, c.getImage())).orElse(true);
    }

    /** {@code app} matches {@code app}, {@code app:1.2} and {@code app@sha256:..}; {@code app:1.2} only itself. */
    static boolean imageMatches(String wanted, String actual) {
        if (actual == null) {
            return false;
        }
        if (actual.equals(wanted)) {
            return true;
        }
        boolean wantedHasTag = wanted.lastIndexOf(':') > wanted.lastIndexOf('/');
        return !wantedHasTag && (actual.startsWith(wanted + ":") || actual.startsWith(wanted + "@"));
    }
}
