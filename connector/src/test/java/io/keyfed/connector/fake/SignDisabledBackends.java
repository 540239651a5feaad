package io.keyfed.connector.fake;

import java.util.Map;

/** The sign-request fakes, with a connector told not to relay sign requests. */
public class SignDisabledBackends extends SignBackends {

    @Override
    protected Map<String, String> overrides() {
        return Map.of("keyfed.connector.sign-requests.enabled", "false");
    }
}
