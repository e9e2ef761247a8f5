package io.gostats.relay.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import io.gostats.relay.model.Target;

class StaticTargetSourceTest {

    @Test
    void parsesHostPortAndOptionalPath() {
        List<Target> ts = new StaticTargetSource(List.of("127.0.0.1:8080", "app.local:9000/api/stats", "[::1]:7000"),
                "/stats").discover();
        assertEquals("http://127.0.0.1:8080/stats", ts.get(0).url());
        assertEquals("http://app.local:9000/api/stats", ts.get(1).url());
        assertEquals("http://[::1]:7000/stats", ts.get(2).url());
        assertEquals("static:127.0.0.1:8080/stats", ts.get(0).id());
    }

    @Test
    void rejectsWhatIsNotHostPort() {
        for (String bad : List.of("127.0.0.1", "host:port", "host:0", "host:70000", "http://host:80/x", " ")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new StaticTargetSource(List.of(bad), "/stats"), bad);
            assertEquals(true, e.getMessage().contains(bad.trim()), e.getMessage());
        }
    }

    @Test
    void portSpecs() {
        assertEquals(8080, PortSpec.parse("8080/tcp"));
        assertEquals(List.of(8080, 9090), PortSpec.parseList("8080, 9090,8080"));
        assertThrows(IllegalArgumentException.class, () -> PortSpec.parse("53/udp"));
        assertThrows(IllegalArgumentException.class, () -> PortSpec.parseList(","));
    }

    @Test
    void theConfiguredFormatAppliesToEveryStaticTarget() {
        List<Target> ts = new StaticTargetSource(List.of("127.0.0.1:9100/metrics", "127.0.0.1:9200/debug/vars"),
                "/stats", java.util.Optional.of(io.gostats.relay.model.SourceFormat.PROMETHEUS)).discover();
        assertEquals(List.of("/metrics", "/debug/vars"), ts.stream().map(Target::path).toList());
        ts.forEach(t -> assertEquals("prometheus", t.formatChoice()));
        assertEquals("auto", new StaticTargetSource(List.of("127.0.0.1:9100"), "/stats").discover().get(0)
                .formatChoice());
    }
}
