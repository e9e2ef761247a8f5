package io.gostats.relay.collect.format;

import io.gostats.relay.collect.FetchException;
import io.gostats.relay.model.GoRuntime;

/** One source format's reader: a whole reply body to the source-neutral record. */
interface FormatParser {

    /** @throws FetchException with reason {@code MALFORMED}, saying what is wrong */
    GoRuntime runtimeOf(byte[] body);
}
