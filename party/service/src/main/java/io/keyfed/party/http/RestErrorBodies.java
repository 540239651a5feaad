package io.keyfed.party.http;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.keyfed.api.http.ErrorBodies;
import io.vertx.core.http.HttpServerRequest;

/**
 * The party's JAX-RS refusals (an unknown method or media type on a REST path, ...) with the shared
 * {"code","message"} body of every KeyFed service ({@link ErrorBodies}); a refusal that already carries a body
 * keeps it. Errors outside the REST resources get the same body from {@link io.keyfed.api.http.HttpErrorRoutes}.
 */
public class RestErrorBodies {
    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        Response given = e.getResponse();
        if (given.hasEntity()) {
            return given;
        }
        int status = given.getStatus();
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(ErrorBodies.json(status, ErrorBodies.message(status, request.method().name(), request.path())))
                .build();
    }
}
