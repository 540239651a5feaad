package io.keyfed.api.http;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits checked by {@link HttpErrorRoutes} so that their refusals carry the JSON error body. */
@ConfigMapping(prefix = "keyfed.http")
public interface HttpErrorConfig {
    /**
     * Longest request URI (path and query) in characters; a longer one is answered 414 with the error body.
     * Keep it below {@code quarkus.http.limits.max-initial-line-length} (each service sets that to 65536): a
     * request line over the server's own limit is refused by the HTTP decoder, with an empty 414.
     * Default 4096.
     */
    @WithDefault("4096")
    int maxUriLength();
}
