package io.keyfed.party.admin;

import org.jboss.logging.Logger;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * First handler of every {@code /admin} route: lets a request through only with the admin bearer token
 * ({@link AdminCredential}), before any route does anything. Refusals: no token file configured → 403
 * {@code PERMISSION_DENIED} "admin disabled: no token file configured"; no {@code Authorization: Bearer} header
 * → 401 {@code UNAUTHENTICATED} with {@code WWW-Authenticate: Bearer}; a wrong token → 403
 * {@code PERMISSION_DENIED}. Refused calls reach nothing, so they change nothing. Logs name the method, the path
 * and the peer address, never a token.
 */
final class AdminAuthHandler implements Handler<RoutingContext> {
    private static final Logger LOG = Logger.getLogger(AdminAuthHandler.class);
    static final String REALM = "Bearer realm=\"keyfed-party-admin\"";

    private final AdminCredential credential;

    AdminAuthHandler(AdminCredential credential) {
        this.credential = credential;
    }

    @Override
    public void handle(RoutingContext ctx) {
        AdminCredential.Outcome outcome = credential.check(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
        String call = ctx.request().method() + " " + ctx.request().path() + " from " + ctx.request().remoteAddress();
        switch (outcome) {
            case ALLOWED -> {
                LOG.infof("admin: %s", call);
                ctx.next();
            }
            case DISABLED -> {
                LOG.warnf("admin: %s refused: admin disabled (no keyfed.party.admin.token-file)", call);
                AdminRoutes.write(ctx, AdminReply.error(403, "PERMISSION_DENIED",
                        "admin disabled: no token file configured (keyfed.party.admin.token-file)"));
            }
            case MISSING -> {
                LOG.warnf("admin: %s refused: no bearer token", call);
                ctx.response().putHeader("WWW-Authenticate", REALM);
                AdminRoutes.write(ctx, AdminReply.error(401, "UNAUTHENTICATED",
                        "the admin endpoints need the admin token: Authorization: Bearer <token>"));
            }
            case WRONG -> {
                LOG.warnf("admin: %s refused: wrong admin token", call);
                AdminRoutes.write(ctx, AdminReply.error(403, "PERMISSION_DENIED", "wrong admin token"));
            }
        }
    }
}
