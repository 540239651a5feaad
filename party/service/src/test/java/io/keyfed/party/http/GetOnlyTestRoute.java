package io.keyfed.party.http;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A route that takes only GET and only answers JSON, for the tests: the party's main port serves only gRPC (and
 * accepts any method and media type), so without it the party has no 405 or 406 to show.
 */
@ApplicationScoped
public class GetOnlyTestRoute {
    static final String PATH = "/test-only/get-json";

    void install(@Observes Router router) {
        router.get(PATH).produces("application/json").handler(ctx -> ctx.json(new io.vertx.core.json.JsonObject()));
    }
}
