package io.keyfed.party.admin;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The party's admin endpoints, on Quarkus's management interface ({@code quarkus.management.*}: its own port,
 * loopback by default, beside {@code /q/health} and {@code /q/metrics}), never on the gRPC port:
 * <ul>
 * <li>{@code GET /admin/keys/{requestId}/verify}: {@link AdminService#verify};</li>
 * <li>{@code GET /admin/shares/pending}: {@link AdminService#pendingShares} (on a worker thread);</li>
 * <li>{@code GET /admin/signing/faults}: {@link AdminService#signingFaults};</li>
 * <li>{@code GET /admin/sealing-key}: {@link AdminService#generations} (on a worker thread);</li>
 * <li>{@code POST /admin/sealing-key/rotate}: {@link AdminService#rotate}.</li>
 * </ul>
 * Every {@code /admin} path first passes {@link AdminAuthHandler} (the bearer token); then an unknown path is
 * 404 and a known one with another method 405, both {@code {"code","message"}}. Answers are written on the
 * request's event loop; blocking and PKCS#11 work runs elsewhere.
 */
@ApplicationScoped
public class AdminRoutes {
    private static final Logger LOG = Logger.getLogger(AdminRoutes.class);

    private final AdminCredential credential;
    private final AdminService service;

    public AdminRoutes(AdminCredential credential, AdminService service) {
        this.credential = credential;
        this.service = service;
    }

    void init(@Observes ManagementInterface management) {
        register(management.router());
        LOG.infof(credential.enabled() ? "admin endpoints enabled on the management interface (bearer token)"
                : "admin endpoints disabled: no keyfed.party.admin.token-file configured");
    }

    /** Adds the admin routes to {@code router}. */
    void register(Router router) {
        router.route("/admin/*").handler(new AdminAuthHandler(credential));
        router.get("/admin/keys/:requestId/verify")
                .handler(ctx -> reply(ctx, service.verify(ctx.pathParam("requestId"))));
        router.get("/admin/shares/pending").blockingHandler(ctx -> write(ctx, service.pendingShares()), false);
        router.get("/admin/signing/faults").handler(ctx -> write(ctx, service.signingFaults()));
        router.get("/admin/sealing-key").blockingHandler(ctx -> write(ctx, service.generations()), false);
        router.post("/admin/sealing-key/rotate").handler(ctx -> reply(ctx, service.rotate()));
        for (String path : new String[] { "/admin/keys/:requestId/verify", "/admin/shares/pending",
                "/admin/signing/faults", "/admin/sealing-key" }) {
            router.route(path).handler(ctx -> notAllowed(ctx, HttpMethod.GET));
        }
        router.route("/admin/sealing-key/rotate").handler(ctx -> notAllowed(ctx, HttpMethod.POST));
        router.route("/admin/*").handler(ctx -> write(ctx, AdminReply.error(404, "NOT_FOUND",
                "no admin endpoint " + ctx.request().path())));
    }

    private static void notAllowed(RoutingContext ctx, HttpMethod allowed) {
        ctx.response().putHeader(HttpHeaders.ALLOW, allowed.name());
        write(ctx, AdminReply.error(405, "METHOD_NOT_ALLOWED", ctx.request().method() + " is not allowed on "
                + ctx.request().path() + "; use " + allowed.name()));
    }

    /** Writes the answer once it completes, back on the request's own context. */
    private static void reply(RoutingContext ctx, CompletionStage<AdminReply> answer) {
        Future.fromCompletionStage(answer, ctx.vertx().getOrCreateContext()).onComplete(r -> {
            if (r.succeeded()) {
                write(ctx, r.result());
            } else {
                LOG.errorf("admin: %s %s failed: %s", ctx.request().method(), ctx.request().path(), r.cause().toString());
                write(ctx, AdminReply.error(500, "INTERNAL", "internal error"));
            }
        });
    }

    static void write(RoutingContext ctx, AdminReply reply) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(reply.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject(reply.body()).encode());
    }
}
