package io.keyfed.party.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;

import io.keyfed.api.ledger.v1.KeyRequestStatus;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.PartyResponse;
import io.keyfed.party.dkg.SessionId;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.CurveId;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.Scalar;
import io.keyfed.party.dkg.pkg.PublicKeyPackage;
import io.keyfed.party.dkg.secret.SecretShare;
import io.keyfed.party.hsm.HsmOperation;
import io.keyfed.party.hsm.HsmToken;
import io.keyfed.party.metrics.PartyMetrics;
import io.keyfed.party.session.PartyNode;
import io.keyfed.party.session.SessionSpec;
import io.keyfed.party.store.DbResultStore;
import io.keyfed.party.store.PartyDatabaseTestResource;
import io.keyfed.party.store.ShareSealing;
import io.keyfed.party.store.StoredResult;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The admin endpoints on the management interface of a running party (real token, real PostgreSQL, the admin
 * token file of {@link PartyDatabaseTestResource}): a call without the token gets 401, a wrong token 403, and
 * neither reaches the token (no unseal, no new sealing key: the token's HSM operation counters and its key list
 * do not move), while the right token does; the main port serves neither the admin routes nor health/metrics,
 * which the management port serves without a credential.
 */
@QuarkusTest
@WithTestResource(PartyDatabaseTestResource.class)
class AdminInterfaceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY_TYPE_CURVE = SessionSpec.curveName(CurveId.SECP256K1);

    @Inject
    DbResultStore store;

    @Inject
    HsmToken token;

    @Inject
    PartyNode node;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @TestHTTPResource("/")
    URL main;

    @ConfigProperty(name = "keyfed.party.admin.token-file")
    Path tokenFile;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void shareCheckOpensTheShareOnlyWithTheAdminToken() throws Exception {
        long id = 880_001;
        storeMatchingShare(id);
        String path = "/admin/keys/" + id + "/verify";
        double unseals = hsmCalls(HsmOperation.UNSEAL);

        HttpResponse<String> none = call(management, "GET", path, null);
        assertEquals(401, none.statusCode(), none.body());
        assertEquals(AdminAuthHandler.REALM, none.headers().firstValue("WWW-Authenticate").orElse(""));
        assertError(none, "UNAUTHENTICATED", "Authorization: Bearer");
        HttpResponse<String> basic = call(management, "GET", path, "Basic " + adminToken());
        assertEquals(401, basic.statusCode(), basic.body());
        HttpResponse<String> wrong = call(management, "GET", path, "Bearer " + adminToken() + "x");
        assertEquals(403, wrong.statusCode(), wrong.body());
        assertError(wrong, "PERMISSION_DENIED", "wrong admin token");
        assertEquals(unseals, hsmCalls(HsmOperation.UNSEAL), "refused calls open no sealed share");

        HttpResponse<String> right = call(management, "GET", path, "Bearer " + adminToken());
        assertEquals(200, right.statusCode(), right.body());
        JsonNode body = JSON.readTree(right.body());
        assertEquals(Long.toString(id), body.get("request_id").asText());
        assertEquals(1, body.get("participant_id").asInt());
        assertTrue(body.get("verification_share_matches").asBoolean(), right.body());
        assertEquals(unseals + 1, hsmCalls(HsmOperation.UNSEAL), "the allowed call opened the share once");
        assertFalse(none.body().contains(adminToken()) || wrong.body().contains(adminToken()));
    }

    @Test
    void rotationWithoutOrWithAWrongTokenChangesNothing() throws Exception {
        List<HsmToken.SealingGeneration> before = token.sealingGenerations();
        double rotations = hsmCalls(HsmOperation.ROTATE_KEY);

        HttpResponse<String> none = call(management, "POST", "/admin/sealing-key/rotate", null);
        assertEquals(401, none.statusCode(), none.body());
        assertEquals(AdminAuthHandler.REALM, none.headers().firstValue("WWW-Authenticate").orElse(""));
        HttpResponse<String> wrong = call(management, "POST", "/admin/sealing-key/rotate", "Bearer not-the-admin-token");
        assertEquals(403, wrong.statusCode(), wrong.body());
        assertError(wrong, "PERMISSION_DENIED", "wrong admin token");
        HttpResponse<String> listing = call(management, "GET", "/admin/sealing-key", "Bearer nope");
        assertEquals(403, listing.statusCode(), listing.body());

        assertEquals(before, token.sealingGenerations(), "no sealing key made or retired");
        assertEquals(rotations, hsmCalls(HsmOperation.ROTATE_KEY), "the token was never asked to rotate");

        HttpResponse<String> allowed = call(management, "GET", "/admin/sealing-key", "bearer " + adminToken());
        assertEquals(200, allowed.statusCode(), allowed.body());
        JsonNode gens = JSON.readTree(allowed.body());
        assertEquals(before.size(), gens.get("generations").size(), allowed.body());
        HsmToken.SealingGeneration current = before.stream().filter(HsmToken.SealingGeneration::current).findFirst()
                .orElseThrow();
        assertEquals(current.keyId(), gens.get("current_key_id").asText(), allowed.body());
    }

    @Test
    void adminErrorsAreCodeAndMessageWithoutSecrets() throws Exception {
        String auth = "Bearer " + adminToken();
        HttpResponse<String> missing = call(management, "GET", "/admin/keys/424242/verify", auth);
        assertEquals(404, missing.statusCode(), missing.body());
        assertError(missing, "NOT_FOUND", "no stored result for request 424242");
        assertEquals("424242", JSON.readTree(missing.body()).get("request_id").asText());

        store.putIfAbsent(rejected(9001));
        HttpResponse<String> rejected = call(management, "GET", "/admin/keys/9001/verify", auth);
        assertEquals(409, rejected.statusCode(), rejected.body());
        assertError(rejected, "FAILED_PRECONDITION", "it has no share");

        HttpResponse<String> badId = call(management, "GET", "/admin/keys/-1/verify", auth);
        assertEquals(400, badId.statusCode(), badId.body());
        assertError(badId, "INVALID_ARGUMENT", "unsigned 64-bit integer");

        HttpResponse<String> getRotate = call(management, "GET", "/admin/sealing-key/rotate", auth);
        assertEquals(405, getRotate.statusCode(), getRotate.body());
        assertEquals("POST", getRotate.headers().firstValue("Allow").orElse(""));
        assertError(getRotate, "METHOD_NOT_ALLOWED", "use POST");

        HttpResponse<String> unknown = call(management, "GET", "/admin/nothing-here", auth);
        assertEquals(404, unknown.statusCode(), unknown.body());
        assertError(unknown, "NOT_FOUND", "no admin endpoint");
        // Without the token, an unknown admin path is refused like a known one: nothing is learnt.
        assertEquals(401, call(management, "GET", "/admin/nothing-here", null).statusCode());
    }

    @Test
    void theSigningFaultsViewNeedsTheTokenAndListsNamedFaults() throws Exception {
        assertEquals(401, call(management, "GET", "/admin/signing/faults", null).statusCode());
        HttpResponse<String> r = call(management, "GET", "/admin/signing/faults", "Bearer " + adminToken());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(JSON.readTree(r.body()).get("faults").isArray(), r.body());
        HttpResponse<String> post = call(management, "POST", "/admin/signing/faults", "Bearer " + adminToken());
        assertEquals(405, post.statusCode(), post.body());
        assertEquals("GET", post.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void thePendingSharesViewShowsAShareTheLedgerRecordedWithAnotherKey() throws Exception {
        long id = 880_077;
        byte[] ours = storeMatchingShare(id, true);
        byte[] other = io.keyfed.api.crypto.Secp256k1.publicKeyOf(BigInteger.valueOf(4242));
        store.recordLedgerMismatch(id, other);
        assertEquals(401, call(management, "GET", "/admin/shares/pending", null).statusCode());

        String auth = "Bearer " + adminToken();
        HttpResponse<String> listed = call(management, "GET", "/admin/shares/pending", auth);
        assertEquals(200, listed.statusCode(), listed.body());
        JsonNode body = JSON.readTree(listed.body());
        JsonNode row = null;
        for (JsonNode r : body.get("pending")) {
            if (r.get("request_id").asText().equals(Long.toString(id))) {
                row = r;
            }
        }
        assertTrue(row != null, listed.body());
        assertFalse(row.get("attested").asBoolean());
        assertEquals(java.util.HexFormat.of().formatHex(ours), row.get("public_key").asText());
        assertEquals(java.util.HexFormat.of().formatHex(other), row.get("ledger_public_key").asText());
        assertTrue(body.get("mismatched").asInt() >= 1, listed.body());
        assertEquals(405, call(management, "POST", "/admin/shares/pending", auth).statusCode());

        // the share check opens a pending share too
        HttpResponse<String> verified = call(management, "GET", "/admin/keys/" + id + "/verify", auth);
        assertEquals(200, verified.statusCode(), verified.body());
        assertTrue(JSON.readTree(verified.body()).get("verification_share_matches").asBoolean());
        assertEquals("pending", JSON.readTree(verified.body()).get("share_state").asText());
    }

    @Test
    void theMainPortServesNoAdminRoutesAndNoHealthOrMetrics() throws Exception {
        long id = 880_002;
        storeMatchingShare(id);
        List<HsmToken.SealingGeneration> before = token.sealingGenerations();
        double unseals = hsmCalls(HsmOperation.UNSEAL);
        String auth = "Bearer " + adminToken();
        assertEquals(404, call(main, "GET", "/admin/keys/" + id + "/verify", auth).statusCode());
        assertEquals(404, call(main, "POST", "/admin/sealing-key/rotate", auth).statusCode());
        assertEquals(404, call(main, "GET", "/admin/sealing-key", auth).statusCode());
        assertEquals(404, call(main, "GET", "/q/health/ready", null).statusCode());
        assertEquals(404, call(main, "GET", "/q/metrics", null).statusCode());
        assertEquals(before, token.sealingGenerations());
        assertEquals(unseals, hsmCalls(HsmOperation.UNSEAL));
        // The same calls reach the admin routes on the management port.
        assertEquals(200, call(management, "GET", "/admin/keys/" + id + "/verify", auth).statusCode());
    }

    @Test
    void healthAndMetricsNeedNoCredentialOnTheManagementPort() throws Exception {
        HttpResponse<String> ready = call(management, "GET", "/q/health/ready", null);
        assertEquals(200, ready.statusCode(), ready.body());
        HttpResponse<String> metrics = call(management, "GET", "/q/metrics", null);
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains(PartyMetrics.HSM_DURATION), "the party's meters are exported");
    }

    // ---------------------------------------------------------------------------------------- helpers

    private HttpResponse<String> call(URL base, String method, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.toString()).resolve(path))
                .timeout(Duration.ofSeconds(60))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String adminToken() throws Exception {
        return Files.readString(tokenFile).strip();
    }

    private static void assertError(HttpResponse<String> r, String code, String messagePart) throws Exception {
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode body = JSON.readTree(r.body());
        assertEquals(code, body.get("code").asText(), r.body());
        assertTrue(body.get("message").asText().contains(messagePart), r.body());
    }

    /** How many calls of one kind the party made into its token (the HSM latency timer's count). */
    private double hsmCalls(HsmOperation op) {
        Timer t = registry.find(PartyMetrics.HSM_DURATION).tag("operation", op.tag).timer();
        return t == null ? 0 : t.count();
    }

    /**
     * A FULFILLED 1-of-1 result whose share is sealed in this party's token as a session would seal it, so that
     * the share check opens it (one unseal) and finds it matching.
     */
    private void storeMatchingShare(long id) {
        storeMatchingShare(id, false);
    }

    /** As {@link #storeMatchingShare(long)}; {@code pending}: stored as before its CONFIRM (no answer yet). */
    private byte[] storeMatchingShare(long id, boolean pending) {
        Curve curve = Curve.of(CurveId.SECP256K1);
        SecureRandom rng = new SecureRandom();
        Scalar s = curve.randomScalar(rng);
        GroupElement y = curve.mulBase(s);
        byte[] sessionId = new byte[32];
        rng.nextBytes(sessionId);
        PublicKeyPackage pkp = new PublicKeyPackage(curve, SessionId.of(sessionId), 1, y, List.of(y));
        int keyType = KeyType.KEY_TYPE_ECDSA_SECP256K1_VALUE;
        byte[] sealed = token.seal(new SecretShare(curve, 1, s).toBytes(),
                ShareSealing.aad(id, sessionId, KEY_TYPE_CURVE, keyType, node.address()));
        PartyResponse response = PartyResponse.newBuilder().setRequestId(id).setPartyAddr(node.address())
                .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_FULFILLED)
                .setPublicKey(ByteString.copyFrom(pkp.groupPublicKey()))
                .setSignature(ByteString.copyFrom(new byte[64])).build();
        store.putIfAbsent(pending ? StoredResult.pending(id, keyType, sessionId, 1, pkp.encode(), sealed)
                : new StoredResult(id, keyType, sessionId, 1, pkp.encode(), sealed, response));
        return pkp.groupPublicKey();
    }

    private static StoredResult rejected(long id) {
        PartyResponse r = PartyResponse.newBuilder().setRequestId(id).setPartyAddr("zen1test")
                .setStatus(KeyRequestStatus.KEY_REQUEST_STATUS_REJECTED).setRejectReason("rejected here")
                .setSignature(ByteString.copyFrom(new byte[64])).build();
        return new StoredResult(id, 1, new byte[32], 1, new byte[] { 1, 2, 3 }, new byte[0], r);
    }
}
