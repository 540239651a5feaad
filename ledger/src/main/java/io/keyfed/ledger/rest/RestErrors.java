package io.keyfed.ledger.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.keyfed.api.http.ErrorBodies;
import io.keyfed.ledger.service.LedgerException;
import io.vertx.core.http.HttpServerRequest;

/**
 * Error bodies: {"code":"INVALID_ARGUMENT","message":"..."} with 400/403/409/404 for refusals; the framework's own
 * HTTP errors get the same body through {@link ErrorBodies} (and {@link io.keyfed.api.http.HttpErrorRoutes} for the
 * errors no resource sees).
 */
public class RestErrors {
    private static final Logger LOG = Logger.getLogger(RestErrors.class);

    public static Map<String, Object> body(String code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("message", message);
        return m;
    }

    @ServerExceptionMapper
    public Response ledger(LedgerException e) {
        return Response.status(e.code().httpStatus).type(MediaType.APPLICATION_JSON)
                .entity(body(e.code().name(), e.getMessage())).build();
    }

    /** JAX-RS refusals (404, 405, 406, 415, ...) with the shared code and message of every KeyFed service. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(body(ErrorBodies.code(status), ErrorBodies.message(status, request.method().name(), request.path())))
                .build();
    }

    @ServerExceptionMapper
    public Response internal(RuntimeException e) {
        LOG.error("internal error serving a REST call", e);
        return Response.status(500).type(MediaType.APPLICATION_JSON).entity(body("INTERNAL", "internal error")).build();
    }
}
