package io.gostats.relay.e2e;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link ContainerStatsE2ETest} on podman: no throttling, no memory.stat (the engine sends neither). */
@QuarkusTest
@TestProfile(ContainerStatsE2ETest.Profile.class)
@WithTestResource(value = ContainerStatsTasksResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @ResourceArg(name = "engine", value = "podman"))
class ContainerStatsOnPodmanE2ETest extends ContainerStatsE2ETest {
}
