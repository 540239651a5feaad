package io.keyfed.party.admin;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.grpc.Status;
import io.keyfed.party.hsm.HsmToken;
import io.keyfed.party.rotation.SealingKeyRotation;
import io.keyfed.party.session.PartyException;
import io.keyfed.party.session.PartyNode;
import io.keyfed.party.session.PendingShare;

/**
 * What the admin routes do, as answers ({@link AdminReply}); {@link AdminRoutes} only carries them over HTTP.
 * <ul>
 * <li>{@link #verify}: opens a request's stored sealed share inside the token, recomputes s_i·G and compares
 * it with the stored verification share: 200 {@code {"request_id","participant_id","verification_share_matches"}};
 * 400 for a request id that is not an unsigned 64-bit integer; 404 without a stored result; 409 when the request
 * was rejected or its sealed share does not open. Runs on the party's worker threads.</li>
 * <li>{@link #pendingShares}: {@code {"pending":[{"request_id","participant_id","key_type","public_key",
 * "attested","ledger_public_key","resolving"}],"mismatched"}}: the shares stored before their confirmation and not
 * resolved by the ledger yet; {@code ledger_public_key} (hex) is set, and {@code attested} false, when the ledger
 * recorded the request with another key than the one this party verified. Public data only. Blocking (database).</li>
 * <li>{@link #signingFaults}: {@code {"faults":[{"sign_request_id","attempt","culprit","check","detail",
 * "at_unix_ms"}]}}: the faults this party's signing sessions pinned on a peer (a bad share, a bad package or
 * result), oldest first, bounded by keyfed.party.max-signing-faults. Public data only. In memory.</li>
 * <li>{@link #generations}: {@code {"current_key_id","generations":[{"key_id","generation","current"}]}}. Blocking
 * (a PKCS#11 call): never call it on an event loop.</li>
 * <li>{@link #rotate}: runs {@link SealingKeyRotation} on its own thread. 200 with {@code {"old_key_id",
 * "new_key_id","resumed","resealed","verified","retired":true,"retired_key_ids","key_ids"}}; 409
 * {@code FAILED_PRECONDITION} when a share could not be moved (the same report with {@code "retired":false},
 * {@code "failed_request_ids"} and {@code "failures"}, the reason for each); 409 {@code ABORTED} when another
 * rotation is running; 500 {@code INTERNAL} when the rotation stopped for another reason (the report too).</li>
 * </ul>
 */
@ApplicationScoped
public class AdminService {
    private static final Logger LOG = Logger.getLogger(AdminService.class);

    private final PartyNode node;
    private final SealingKeyRotation rotation;

    public AdminService(PartyNode node, SealingKeyRotation rotation) {
        this.node = node;
        this.rotation = rotation;
    }

    /** The faults named by this party's signing sessions (public data, in memory). */
    public AdminReply signingFaults() {
        java.util.List<Map<String, Object>> faults = new java.util.ArrayList<>();
        for (io.keyfed.party.signing.SigningFaults.Fault f : node.signing().faults()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("sign_request_id", Long.toUnsignedString(f.signRequestId()));
            row.put("attempt", f.attempt());
            row.put("culprit", f.culprit());
            row.put("check", f.check());
            row.put("detail", f.detail());
            row.put("at_unix_ms", f.atUnixMs());
            faults.add(row);
        }
        return AdminReply.ok(Map.of("faults", faults));
    }

    /** The share check of one request; completes on a worker thread. */
    public CompletionStage<AdminReply> verify(String requestId) {
        long id;
        try {
            id = Long.parseUnsignedLong(requestId);
        } catch (NumberFormatException e) {
            return CompletableFuture.completedFuture(withRequestId(AdminReply.error(400, "INVALID_ARGUMENT",
                    "request id must be an unsigned 64-bit integer"), requestId.length() <= 20 ? requestId : "?"));
        }
        String rid = Long.toUnsignedString(id);
        return node.verifyStoredShare(id).handle((check, err) -> {
            if (err == null) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("request_id", Long.toUnsignedString(check.requestId()));
                body.put("participant_id", check.participantId());
                body.put("verification_share_matches", check.matches());
                body.put("share_state", check.state() == null ? null : check.state().column());
                return AdminReply.ok(body);
            }
            Throwable cause = err;
            while (cause.getCause() != null && !(cause instanceof PartyException)) {
                cause = cause.getCause();
            }
            if (cause instanceof PartyException pe) {
                AdminReply reply = pe.code() == Status.Code.NOT_FOUND ? AdminReply.error(404, "NOT_FOUND", pe.getMessage())
                        : pe.code() == Status.Code.FAILED_PRECONDITION
                                ? AdminReply.error(409, "FAILED_PRECONDITION", pe.getMessage())
                                : AdminReply.error(500, "INTERNAL", pe.getMessage());
                return withRequestId(reply, rid);
            }
            LOG.errorf("request %s: share check failed: %s", rid, cause.toString());
            return withRequestId(AdminReply.error(500, "INTERNAL", "internal error"), rid);
        });
    }

    /** The pending shares, and those the ledger recorded with another key. Blocking. */
    public AdminReply pendingShares() {
        try {
            List<Map<String, Object>> rows = new ArrayList<>();
            int mismatched = 0;
            for (PendingShare p : node.pendingShares()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("request_id", Long.toUnsignedString(p.requestId()));
                m.put("participant_id", p.participantId());
                m.put("key_type", p.keyType());
                m.put("public_key", HexFormat.of().formatHex(p.publicKey()));
                m.put("attested", false);
                m.put("ledger_public_key", p.ledgerPublicKey() == null ? null
                        : HexFormat.of().formatHex(p.ledgerPublicKey()));
                m.put("resolving", p.resolving());
                rows.add(m);
                mismatched += p.ledgerPublicKey() == null ? 0 : 1;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("pending", rows);
            body.put("mismatched", mismatched);
            return AdminReply.ok(body);
        } catch (RuntimeException e) {
            LOG.errorf("cannot list the pending shares: %s", e.getMessage());
            return AdminReply.error(500, "INTERNAL", "cannot list the pending shares: " + e.getMessage());
        }
    }

    /** The sealing-key generations in the token. Blocking. */
    public AdminReply generations() {
        try {
            List<Map<String, Object>> gens = new ArrayList<>();
            String current = null;
            for (HsmToken.SealingGeneration g : rotation.generations()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("key_id", g.keyId());
                m.put("generation", g.generation());
                m.put("current", g.current());
                gens.add(m);
                if (g.current()) {
                    current = g.keyId();
                }
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("current_key_id", current);
            body.put("generations", gens);
            return AdminReply.ok(body);
        } catch (RuntimeException e) {
            LOG.errorf("cannot list the sealing keys: %s", e.getMessage());
            return AdminReply.error(500, "INTERNAL", "cannot list the sealing keys: " + e.getMessage());
        }
    }

    /** A sealing-key rotation; completes on the rotation thread, at once if one is already running. */
    public CompletionStage<AdminReply> rotate() {
        return rotation.rotateAsync().handle((r, err) -> {
            if (err != null) {
                Throwable c = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                if (c instanceof SealingKeyRotation.BusyException) {
                    return AdminReply.error(409, "ABORTED", c.getMessage());
                }
                LOG.errorf("sealing-key rotation failed: %s", c.toString());
                return AdminReply.error(500, "INTERNAL", "sealing-key rotation failed: internal error");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            if (!r.ok()) {
                body.putAll(r.error() != null ? AdminReply.errorBody("INTERNAL", r.error())
                        : AdminReply.errorBody("FAILED_PRECONDITION", r.failed().size() + " stored share(s) could not"
                                + " be moved to the new key; the older keys stay in the token"));
            }
            body.put("old_key_id", r.oldKeyId());
            body.put("new_key_id", r.newKeyId());
            body.put("resumed", r.resumed());
            body.put("resealed", r.resealed());
            body.put("verified", r.verified());
            body.put("retired", r.retired());
            body.put("retired_key_ids", r.retiredKeyIds());
            body.put("key_ids", r.remainingKeyIds());
            if (!r.failed().isEmpty()) {
                body.put("failed_request_ids", new ArrayList<>(r.failed().keySet()));
                body.put("failures", r.failed());
            }
            int status = r.ok() ? 200 : r.error() != null ? 500 : 409;
            return new AdminReply(status, body);
        });
    }

    private static AdminReply withRequestId(AdminReply reply, String requestId) {
        reply.body().put("request_id", requestId);
        return reply;
    }
}
