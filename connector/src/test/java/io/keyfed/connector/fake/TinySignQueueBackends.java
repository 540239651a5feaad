package io.keyfed.connector.fake;

import java.util.Map;

/** The sign-request fakes, with a connector that forwards one request at a time and queues at most two. */
public class TinySignQueueBackends extends SignBackends {

    @Override
    protected Map<String, String> overrides() {
        return Map.of("keyfed.connector.max-in-flight", "1", "keyfed.connector.queue-capacity", "2");
    }
}
