package io.gostats.relay.e2e;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link RelayE2ETest}'s scenarios on the Docker Engine (Debian's docker.io 20.10: what ECS container instances run). */
@QuarkusTest
@TestProfile(RelayE2ETest.Profile.class)
@WithTestResource(value = TasksResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @ResourceArg(name = "engine", value = "docker"))
class RelayOnDockerE2ETest extends RelayE2ETest {
}
