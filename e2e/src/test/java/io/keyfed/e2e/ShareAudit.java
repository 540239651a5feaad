package io.keyfed.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What {@link FaultIT} checks of the parties' sealed shares around a fault: each party's own rows in its
 * PostgreSQL ({@link PartyDb#shares}), and its admin share check ({@code GET /admin/keys/{id}/verify} on the
 * management port with the party's admin token), which opens the sealed share inside the party's token,
 * recomputes s_i·G and compares it with the stored verification share. Every check fails when it found nothing
 * to compare.
 */
final class ShareAudit {
    private final Federation fed;
    private final ObjectMapper json = new ObjectMapper();

    ShareAudit(Federation fed) {
        this.fed = fed;
    }

    /** Every party's share rows, now. */
    Map<Federation.Party, Map<Long, PartyDb.ShareRow>> snapshot() throws Exception {
        Map<Federation.Party, Map<Long, PartyDb.ShareRow>> out = new LinkedHashMap<>();
        for (Federation.Party p : fed.parties) {
            out.put(p, PartyDb.shares(p));
        }
        return out;
    }

    /**
     * Every party's share rows once each holds at least one (waiting at most {@code timeoutSeconds}), so that a
     * fault injected next has something to compare. If one holds none by then, the snapshot is returned as it is
     * and {@link #assertIntactAndOpen} fails on it.
     */
    Map<Federation.Party, Map<Long, PartyDb.ShareRow>> snapshotOnceEveryPartyHoldsAShare(long timeoutSeconds)
            throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        Map<Federation.Party, Map<Long, PartyDb.ShareRow>> rows = snapshot();
        while (rows.values().stream().anyMatch(Map::isEmpty) && System.nanoTime() < until) {
            Thread.sleep(200);
            rows = snapshot();
        }
        return rows;
    }

    /**
     * Waits until every party holds a share row for each of {@code ids}, or until {@code deadlineMillis} (the
     * requests' last deadline, by which every party's session has ended) plus 20 s has passed.
     */
    void awaitSharesOnEveryParty(Collection<Long> ids, long deadlineMillis) throws Exception {
        long until = deadlineMillis + 20_000;
        while (System.currentTimeMillis() < until) {
            boolean all = true;
            for (Map<Long, PartyDb.ShareRow> rows : snapshot().values()) {
                all &= rows.keySet().containsAll(ids);
            }
            if (all) {
                return;
            }
            Thread.sleep(200);
        }
    }

    /**
     * Waits (at most 60 s) until no party's share row of the fulfilled requests {@code ids} is still pending: a
     * party that sent its CONFIRM but did not see every peer's (a crash, a lost message) keeps its share pending
     * and activates it once it reads the request FULFILLED from the ledger. A row still pending afterwards fails
     * the key check that follows (it names no key).
     */
    void awaitResolved(Collection<Long> ids) throws Exception {
        long until = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < until) {
            boolean anyPending = false;
            for (Map<Long, PartyDb.ShareRow> rows : snapshot().values()) {
                for (long id : ids) {
                    PartyDb.ShareRow row = rows.get(id);
                    anyPending |= row != null && row.pending();
                }
            }
            if (!anyPending) {
                return;
            }
            Thread.sleep(200);
        }
    }

    /**
     * After the fault {@code fault}:
     * <ul>
     * <li>every share row each party held before it ({@code before}, at least one per party) is still there with
     * the same session id, public key package and sealed share;</li>
     * <li>every party holds a share of each request in {@code everyPartyHolds} (requests made once the fault was
     * repaired);</li>
     * <li>each share a party holds of a fulfilled request ({@code fulfilled}: request id to the ledger's key, hex)
     * was answered with the ledger's key and opens in the party's token to its verification share, and each
     * party holds at least one;</li>
     * <li>each fulfilled request has such a share on at least {@code threshold} parties.</li>
     * </ul>
     * Returns the number of shares opened.
     */
    int assertIntactAndOpen(String fault, Map<Federation.Party, Map<Long, PartyDb.ShareRow>> before,
            Collection<Long> everyPartyHolds, Map<Long, String> fulfilled, int threshold) throws Exception {
        assertFalse(fulfilled.isEmpty(), "after the " + fault + " fault: no fulfilled request to check shares of");
        assertFalse(everyPartyHolds.isEmpty(), "after the " + fault + " fault: no fresh request to check shares of");
        awaitResolved(fulfilled.keySet());
        Map<Long, Integer> holders = new TreeMap<>();
        int opened = 0;
        for (Federation.Party p : fed.parties) {
            String who = "after the " + fault + " fault, party " + p.index;
            Map<Long, PartyDb.ShareRow> was = before.getOrDefault(p, Map.of());
            assertFalse(was.isEmpty(), who + " held no share row before the fault: nothing to compare");
            Map<Long, PartyDb.ShareRow> now = PartyDb.shares(p);
            for (Map.Entry<Long, PartyDb.ShareRow> e : was.entrySet()) {
                PartyDb.ShareRow row = now.get(e.getKey());
                assertTrue(row != null, who + " lost its share row of request " + e.getKey());
                assertEquals(e.getValue().digest(), row.digest(), who + "'s share row of request " + e.getKey()
                        + " changed (session id, public key package or sealed share)");
            }
            List<Long> missing = new ArrayList<>(everyPartyHolds);
            missing.removeAll(now.keySet());
            assertTrue(missing.isEmpty(), who + " holds no share of the requests made after the repair: " + missing);
            int mine = 0;
            for (Map.Entry<Long, PartyDb.ShareRow> e : now.entrySet()) {
                String key = fulfilled.get(e.getKey());
                if (key == null) {
                    continue; // the ledger rejected the request (e.g. its deadline passed during the fault)
                }
                assertEquals(key, e.getValue().publicKeyHex(), who + " holds a share of request " + e.getKey()
                        + " for another key than the ledger's");
                assertShareOpens(p, e.getKey(), who);
                holders.merge(e.getKey(), 1, Integer::sum);
                mine++;
            }
            assertTrue(mine > 0, who + " holds no share of any fulfilled request: nothing was opened");
            opened += mine;
        }
        List<Long> underHeld = new ArrayList<>();
        for (long id : fulfilled.keySet()) {
            if (holders.getOrDefault(id, 0) < threshold) {
                underHeld.add(id);
            }
        }
        assertTrue(underHeld.isEmpty(), "after the " + fault + " fault, fulfilled requests with shares on fewer than "
                + threshold + " parties: " + underHeld);
        return opened;
    }

    /**
     * Waits until every party holds a share row of the fulfilled request {@code id} (or its deadline,
     * {@code deadlineMillis}, plus 20 s has passed), then asserts that each one's row names the ledger's key
     * {@code keyHex} and that its share opens in its token to its verification share.
     */
    void assertEveryPartyHolds(long id, String keyHex, long deadlineMillis) throws Exception {
        awaitSharesOnEveryParty(List.of(id), deadlineMillis);
        awaitResolved(List.of(id));
        for (Federation.Party p : fed.parties) {
            String who = "party " + p.index;
            PartyDb.ShareRow row = PartyDb.shares(p).get(id);
            assertTrue(row != null, who + " holds no share of request " + id);
            assertEquals(keyHex, row.publicKeyHex(), who + " holds a share of request " + id
                    + " for another key than the ledger's");
            assertShareOpens(p, id, who);
        }
    }

    /** The party's admin share check of request {@code id} answers 200 with a share matching its verification share. */
    private void assertShareOpens(Federation.Party p, long id, String who) throws Exception {
        HttpResponse<String> r = fed.admin(p, "GET", "/admin/keys/" + Long.toUnsignedString(id) + "/verify",
                p.adminToken());
        assertEquals(200, r.statusCode(), who + "'s share of request " + id + " does not open: " + r.body());
        JsonNode body = json.readTree(r.body());
        assertEquals(Long.toUnsignedString(id), body.path("request_id").asText(), r.body());
        assertTrue(body.path("verification_share_matches").asBoolean(false), who + "'s share of request " + id
                + " does not match its verification share: " + r.body());
    }
}
