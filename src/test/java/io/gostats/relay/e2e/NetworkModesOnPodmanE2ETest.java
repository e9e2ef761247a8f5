package io.gostats.relay.e2e;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link NetworkModesE2ETest} on podman (the relay inspects the host-network container). */
@QuarkusTest
@TestProfile(NetworkModesE2ETest.Profile.class)
@WithTestResource(value = NetworkModesResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @ResourceArg(name = "engine", value = "podman"))
class NetworkModesOnPodmanE2ETest extends NetworkModesE2ETest {
}
