package io.keyfed.api.http;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;

/**
 * Gives the HTTP errors that no resource of ours produced the {@link ErrorBodies JSON error body}, on every
 * service whose router this bean sees (the ledger, the party and the connector all depend on this module):
 * <ul>
 * <li>before any other route: a URI over {@code keyfed.http.max-uri-length} is answered 414, and a declared
 * {@code Content-Length} over {@code quarkus.http.limits.max-body-size} 413 (the server's own checks answer
 * with an empty body);</li>
 * <li>no route for the path (404), the method (405), the accepted media type (406) or the content type (415):
 * the router's error handlers;</li>
 * <li>a route that failed with a bare status (e.g. a body over the limit while it is read) or an exception:
 * a failure handler that runs before Quarkus's own (which would answer with an empty body or a stack
 * trace page). An exception is logged and answered 500 INTERNAL "internal error". Security exceptions
 * ({@code io.quarkus.security.*}) are left to Quarkus, which answers them with its challenge or 403.</li>
 * </ul>
 * gRPC calls (content type {@code application/grpc*}) are left alone: their errors are gRPC statuses.
 */
@ApplicationScoped
public class HttpErrorRoutes {
    private static final Logger LOG = Logger.getLogger(HttpErrorRoutes.class);
    private static final int[] ROUTER_ERRORS = {400, 404, 405, 406, 413, 414, 415, 500};

    private final int maxUriLength;
    private final long maxBodyBytes;

    public HttpErrorRoutes(HttpErrorConfig config,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBody) {
        this.maxUriLength = config.maxUriLength();
        this.maxBodyBytes = maxBody.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::limits);
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failed);
        for (int status : ROUTER_ERRORS) {
            router.errorHandler(status, ctx -> answer(ctx, status));
        }
    }

    private static boolean grpc(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        return type != null && type.startsWith("application/grpc");
    }

    private void limits(RoutingContext ctx) {
        if (!grpc(ctx)) {
            if (ctx.request().uri().length() > maxUriLength) {
                write(ctx, 414, "request URI has " + ctx.request().uri().length() + " characters, at most " + maxUriLength);
                return;
            }
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && declaredOver(length)) {
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                write(ctx, 413, "request body of " + length + " bytes is over the limit of " + maxBodyBytes + " bytes");
                return;
            }
        }
        ctx.next();
    }

    private boolean declaredOver(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return false; // the HTTP decoder refuses a malformed Content-Length itself
        }
    }

    private void failed(RoutingContext ctx) {
        if (grpc(ctx) || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        Throwable t = ctx.failure();
        if (t != null && t.getClass().getName().startsWith("io.quarkus.security.")) {
            ctx.next(); // authentication and authorisation failures: Quarkus answers them (401 challenge, 403)
            return;
        }
        if (t == null) {
            answer(ctx, ctx.statusCode() < 400 ? 500 : ctx.statusCode());
        } else if (t instanceof HttpException h && h.getStatusCode() >= 400) {
            answer(ctx, h.getStatusCode());
        } else {
            LOG.error("internal error serving " + ctx.request().method() + " " + ctx.request().path(), t);
            write(ctx, 500, "internal error");
        }
    }

    private static void answer(RoutingContext ctx, int status) {
        if (status == 500 && ctx.failure() != null && !(ctx.failure() instanceof HttpException)) {
            LOG.error("internal error serving " + ctx.request().method() + " " + ctx.request().path(), ctx.failure());
        }
        write(ctx, status, ErrorBodies.message(status, ctx.request().method().name(), ctx.request().path()));
    }

    private static void write(RoutingContext ctx, int status, String message) {
        HttpServerResponse r = ctx.response();
        if (r.headWritten()) {
            r.close();
            return;
        }
        r.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(ErrorBodies.json(status, message));
    }
}
