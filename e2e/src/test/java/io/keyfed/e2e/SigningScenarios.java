package io.keyfed.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import io.grpc.Status;
import io.keyfed.api.ledger.v1.SignRequest;
import io.keyfed.api.ledger.v1.SignatureScheme;
import io.keyfed.cli.http.LedgerClientException;

/**
 * The fault scenarios every signing protocol must pass, whatever its scheme: parties stopped, a silent (SIGSTOPped)
 * coordinator of attempt 0, and a compromised connector handing its party requests the ledger does not hold
 * ({@link ForgedSigningCalls}). The ITs check the signatures with their own independent verifier.
 */
final class SigningScenarios {
    private SigningScenarios() {
    }

    /** What a test does while parties are down. */
    interface WhileDown {
        void run() throws Exception;
    }

    /**
     * Stops (SIGTERM) the parties {@code down}; each is down (no process, its ports refuse connections) before
     * {@code test} runs and still down after it; each is restarted in the end.
     */
    static void withPartiesStopped(SigningFederation s, List<Federation.Party> down, WhileDown test) throws Exception {
        for (Federation.Party p : down) {
            p.process.stop();
        }
        try {
            for (Federation.Party p : down) {
                assertDown(p);
            }
            test.run();
            for (Federation.Party p : down) {
                assertDown(p);
            }
        } finally {
            for (Federation.Party p : down) {
                s.fed.restartParty(p);
            }
        }
    }

    /** A request signed while the coordinator of its attempt 0, {@code frozen}, was stopped. */
    record Frozen(JsonNode request, Federation.Party frozen) {
    }

    /**
     * Freezes (SIGSTOP, state 'T') the party that will coordinate attempt 0 of the next sign request over
     * {@code messages} (not the coordinator of attempt 1), makes the request and waits until it is final with the
     * coordinator still frozen; SIGCONT after. The request has the predicted id and session id, and the frozen party
     * gave no answer. The caller checks its signatures.
     */
    static Frozen signWithCoordinatorFrozen(SigningFederation s, long key, SignatureScheme scheme,
            List<byte[]> messages) throws Exception {
        SigningFederation.Prediction at = s.predictNext(key, scheme, messages);
        Federation.Party frozen = at.coordinator(0);
        assertNotEquals(frozen.address, at.coordinator(1).address);
        long pid = frozen.process.pid();
        Signals.send("STOP", pid);
        JsonNode r;
        try {
            assertEquals('T', Signals.awaitState(pid, 'T'), "party " + frozen.index + " is not stopped");
            long id = s.sign(key, messages, 90);
            assertEquals(at.id, id, "the request took the id its session id was derived for");
            r = s.client.awaitSignFinal(id, 120);
            assertEquals('T', Signals.awaitState(pid, 'T'), "the coordinator woke before the request was final");
        } finally {
            Signals.send("CONT", pid);
        }
        assertArrayEquals(at.sid, SignedRequests.sessionId(r));
        assertFalse(SignedRequests.answered(r).contains(frozen.address), "the frozen party answered: " + r);
        return new Frozen(r, frozen);
    }

    /**
     * Every honest party logs {@code signed in attempt N} with N ≥ 1 for the request (the lines are written as the
     * session ends, around the answer: waited for, within bounds), and at least one logs that attempt 0 failed
     * because {@code coordinator ADDRESS <silence>}, the protocol's words for a coordinator that sent nothing
     * ("sent no package" for FROST, "sent no plan" for DKLs23).
     */
    static void assertALaterAttemptSignedAndAttemptZeroFailedFor(SigningFederation s, Frozen f, String silence)
            throws Exception {
        long id = f.request().path("id").asLong();
        String blame = "coordinator " + f.frozen().address + " " + silence;
        List<String> failed = new ArrayList<>();
        for (Federation.Party p : s.fed.parties) {
            if (p != f.frozen()) {
                List<Integer> attempts = PartyLogs.awaitSignedInAttempts(p.process.log(), id);
                assertFalse(attempts.isEmpty(), "party " + p.index + " logged no 'signed in attempt N' for " + id);
                assertTrue(attempts.stream().allMatch(a -> a >= 1), "party " + p.index + " signed in " + attempts);
                PartyLogs.lines(p.process.log(), id).stream()
                        .filter(l -> l.contains("attempt 0 failed") && l.contains(blame)).forEach(failed::add);
            }
        }
        assertFalse(failed.isEmpty(), "no honest party logged that attempt 0's " + blame);
    }

    /**
     * A request the ledger does not hold at all (an id far past the last one, copied from the last real request,
     * with {@code messages}), handed to the party: refused, naming the id; and the ledger has no such request.
     */
    static void assertAMadeUpRequestIsRefused(SigningFederation s, ForgedSigningCalls forged, List<byte[]> messages) {
        long unknown = s.lastSignId() + 1000;
        Status madeUp = forged.sign(forged.madeUp(unknown, s.lastSignId(), messages));
        assertTrue(ForgedSigningCalls.REFUSALS.contains(madeUp.getCode()), madeUp.toString());
        assertTrue(madeUp.getDescription() != null && madeUp.getDescription().contains(Long.toString(unknown)),
                "the refusal names the request: " + madeUp);
        LedgerClientException none = assertThrows(LedgerClientException.class, () -> s.client.signRequest(unknown));
        assertEquals(404, none.httpStatus());
    }

    /** A forged Sign call's refusal: FAILED_PRECONDITION, naming the messages. */
    static void assertRefusedNamingTheMessages(Status refused) {
        assertEquals(Status.Code.FAILED_PRECONDITION, refused.getCode(), refused.toString());
        assertTrue(refused.getDescription() != null
                && refused.getDescription().toLowerCase(Locale.ROOT).contains("message"),
                "the refusal names the difference: " + refused);
    }

    /** The forgeries a test tries on a real pending request, {@code real} being the ledger's copy of it. */
    interface Forgeries {
        void tryOn(SignRequest real, long id) throws Exception;
    }

    /**
     * With every connector stopped (so no party hears of it), the owner's sign request over {@code messages}:
     * the ledger holds it as sent; {@code forgeries} are tried on it; it is still PENDING with no answer. Then the
     * connectors are restarted and forward the ledger's own request: it ends over the owner's messages with no
     * fault recorded and every answer FULFILLED. Returns it; the caller checks its signatures and its answers'.
     */
    static JsonNode signedAsAskedAfterForgeries(SigningFederation s, ForgedSigningCalls forged, long key,
            List<byte[]> messages, Forgeries forgeries) throws Exception {
        for (ManagedProcess c : s.fed.connectors) {
            c.stop();
        }
        long id;
        try {
            id = s.sign(key, messages, 90);
            SignRequest real = forged.ledgerCopy(id);
            assertArrayEquals(messages.get(0), real.getMessages(0).toByteArray());
            forgeries.tryOn(real, id);
            JsonNode pending = s.client.signRequest(id);
            assertEquals("SIGN_REQUEST_STATUS_PENDING", pending.path("status").asText(), pending.toString());
            assertEquals(0, pending.path("keyring_party_sigs").size(), pending.toString());
        } finally {
            for (ManagedProcess c : s.fed.connectors) {
                s.fed.restartConnector(c);
            }
        }
        JsonNode r = s.client.awaitSignFinal(id, 120);
        SignedRequests.assertMessages(messages, r);
        assertEquals(0, r.path("faults").size(), r.toString());
        for (JsonNode answer : r.path("keyring_party_sigs")) {
            assertEquals("SIGN_REQUEST_STATUS_FULFILLED", answer.path("status").asText(), answer.toString());
        }
        return r;
    }

    /** The party's process is gone and nothing listens on its gRPC and management ports. */
    private static void assertDown(Federation.Party p) {
        assertFalse(p.process.isAlive(), "party " + p.index + " is running");
        for (int port : List.of(p.port, p.managementPort)) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                throw new AssertionError("party " + p.index + ": port " + port + " accepts connections");
            } catch (IOException expected) {
                // refused: nothing listens
            }
        }
    }
}
