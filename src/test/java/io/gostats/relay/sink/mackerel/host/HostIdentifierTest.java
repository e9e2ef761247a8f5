package io.gostats.relay.sink.mackerel.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.gostats.relay.LogCapture;
import io.gostats.relay.instance.InstanceId;

/** The customIdentifier rules of a host of the relay's own. */
class HostIdentifierTest {

    static final String ID = "i-0123456789abcdef0";

    @Test
    void aConfiguredIdentifierWinsAndTheInstanceIsNotAsked() {
        HostIdentifier h = new HostIdentifier(Optional.of(" relay-7 "), () -> {
            throw new AssertionError("asked the instance");
        });
        assertEquals(Optional.of("relay-7"), h.current());
    }

    /** As mackerel-agent on EC2: the hosts of the agent and of the AWS integration merge on this identifier. */
    @Test
    void onEc2ItIsTheInstanceIdAsMackerelAgentSuggestsIt() {
        HostIdentifier h = new HostIdentifier(Optional.empty(), () -> new InstanceId.Known(ID));
        assertEquals(Optional.of("i-0123456789abcdef0.ec2.amazonaws.com"), h.current());
    }

    @Test
    void aBlankPropertyIsNoIdentifier() {
        HostIdentifier h = new HostIdentifier(Optional.of("  "), () -> new InstanceId.Known(ID));
        assertEquals(Optional.of(ID + ".ec2.amazonaws.com"), h.current());
    }

    @Test
    void whileTheInstanceIdIsLookedUpThereIsNoneYet() {
        AtomicReference<InstanceId> instance = new AtomicReference<>(new InstanceId.Pending());
        HostIdentifier h = new HostIdentifier(Optional.empty(), instance::get);
        assertEquals(Optional.empty(), h.current());
        assertTrue(h.missing().startsWith("relay.mackerel.custom-identifier: not set; waiting"), h.missing());
        instance.set(new InstanceId.Known(ID));
        assertEquals(Optional.of(ID + ".ec2.amazonaws.com"), h.current());
    }

    /** Off EC2 with no property: none, the property named, one warning however often it is asked. */
    @Test
    void offEc2ThereIsNoneAndThePropertyIsNamedOnce() {
        try (LogCapture log = LogCapture.of(HostIdentifier.class)) {
            HostIdentifier h = new HostIdentifier(Optional.empty(),
                    () -> new InstanceId.Unavailable("no EC2 instance id (Connection refused)"));
            for (int i = 0; i < 100; i++) {
                assertEquals(Optional.empty(), h.current());
            }
            assertTrue(h.missing().startsWith("relay.mackerel.custom-identifier: not set, and not on EC2"),
                    h.missing());
            assertTrue(h.missing().contains("Connection refused"), h.missing());
            assertEquals(1, log.warnings().size(), log.warnings().toString());
        }
    }

    /** Today's README suggested the bare instance id: one warning that it is a second, separately billed host. */
    @Test
    void aBareInstanceIdGetsOneWarning() {
        try (LogCapture log = LogCapture.of(HostIdentifier.class)) {
            HostIdentifier h = new HostIdentifier(Optional.of(ID), () -> new InstanceId.Known(ID));
            h.current();
            h.current();
            List<String> w = log.warnings();
            assertEquals(1, w.size(), w.toString());
            assertTrue(w.get(0).contains(ID + ".ec2.amazonaws.com") && w.get(0).contains("billed"), w.get(0));
            assertEquals(Optional.of(ID), h.current(), "the configured value is still used as it is");
        }
    }

    @Test
    void onlyABareInstanceIdIsWarnedAbout() {
        assertTrue(HostIdentifier.isBareInstanceId("i-0abc1234"));
        assertTrue(HostIdentifier.isBareInstanceId(ID));
        assertFalse(HostIdentifier.isBareInstanceId(ID + ".ec2.amazonaws.com"));
        assertFalse(HostIdentifier.isBareInstanceId("relay-7"));
        assertFalse(HostIdentifier.isBareInstanceId("i-xyz"));
    }
}
