package io.gostats.relay.e2e;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link FormatsInContainersE2ETest} on Podman. */
@QuarkusTest
@TestProfile(FormatsInContainersE2ETest.Profile.class)
@WithTestResource(value = FormatTasksResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @ResourceArg(name = "engine", value = "podman"))
class FormatsInContainersOnPodmanE2ETest extends FormatsInContainersE2ETest {
}
