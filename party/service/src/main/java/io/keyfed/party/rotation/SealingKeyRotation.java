package io.keyfed.party.rotation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.party.config.PartyConfig;
import io.keyfed.party.hsm.HsmException;
import io.keyfed.party.hsm.HsmToken;
import io.keyfed.party.session.PartyException;
import io.keyfed.party.session.PartyNode;
import io.keyfed.party.session.SessionSpec;
import io.keyfed.party.session.ShareCheck;
import io.keyfed.party.store.SealedShareRows;
import io.keyfed.party.store.ShareSealing;

/**
 * Rotates the party's sealing key while the party keeps serving:
 * <ol>
 * <li><b>rotate</b>: the token creates the next sealing generation, which every new seal uses at once
 * (a DKG finishing meanwhile stores its share under the new key). If the token still holds older
 * generations (an earlier rotation stopped or crashed), no new key is made: that rotation continues.
 * Sessions that were running at that moment may have sealed under the old key: their end is awaited
 * (they end at the latest after {@code max-session-lifetime}), so their rows are in the database;</li>
 * <li><b>re-seal</b>: every stored sealed share not yet under the new key is opened in the token (old
 * key, found by the key id in the blob) and sealed again under the new key with the same associated
 * data ({@link ShareSealing#aad}); the row is updated only if its blob is still the one that was read
 * (compare-and-set, one transaction per row). The plaintext is wiped at once;</li>
 * <li><b>verify</b>: every stored sealed share must name the new key id, open under it and match its
 * stored verification share (s_i·G = Y_i, the admin share check). Rows found under an older key here
 * (written late by a session) send the rotation back to step 2;</li>
 * <li><b>retire</b>: only when every row passed, the older generations are deleted from the token.
 * If any row failed, nothing is retired and the failing request ids are reported.</li>
 * </ol>
 * Idempotent and resumable: each step can be cut short by a crash; at the next start the highest
 * generation is current and older ones still open their blobs, and the next call continues. Runs on
 * its own worker thread, one rotation at a time. Reports and logs never contain secret material.
 */
@ApplicationScoped
public class SealingKeyRotation {
    private static final Logger LOG = Logger.getLogger(SealingKeyRotation.class);
    private static final int PAGE = 64;
    private static final int MAX_ROUNDS = 5;

    /** A rotation is already running. */
    public static final class BusyException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BusyException() {
            super("a sealing-key rotation is already running on this party");
        }
    }

    /**
     * What a rotation did. {@code failed} maps request ids (unsigned decimal) to why their share could
     * not be moved to the new key; {@code error} is set when the rotation stopped for another reason.
     * Holds no secret.
     */
    public record Result(String oldKeyId, String newKeyId, boolean resumed, int resealed, int verified,
            boolean retired, List<String> retiredKeyIds, List<String> remainingKeyIds, Map<String, String> failed,
            String error) {
        public boolean ok() {
            return retired && failed.isEmpty() && error == null;
        }
    }

    private final HsmToken token;
    private final PartyNode node;
    private final SealedShareRows rows;
    private final long drainMillis;
    private final AtomicBoolean running = new AtomicBoolean();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "keyfed-party-rotation");
        t.setDaemon(true);
        return t;
    });

    @Inject
    public SealingKeyRotation(HsmToken token, PartyNode node, SealedShareRows rows, PartyConfig config) {
        this.token = token;
        this.node = node;
        this.rows = rows;
        this.drainMillis = config.maxSessionLifetime().toMillis() + 30_000;
    }

    /** Starts a rotation on the rotation thread; fails at once with {@link BusyException} if one runs. */
    public CompletableFuture<Result> rotateAsync() {
        if (!running.compareAndSet(false, true)) {
            return CompletableFuture.failedFuture(new BusyException());
        }
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return rotate();
                } finally {
                    running.set(false);
                }
            }, worker);
        } catch (RuntimeException e) {
            running.set(false);
            throw e;
        }
    }

    /** The sealing-key generations in the token (blocking). */
    public List<HsmToken.SealingGeneration> generations() {
        return token.sealingGenerations();
    }

    /** One rotation, on the calling thread (blocking; never call it on an event loop). */
    Result rotate() {
        String oldKeyId = token.sealingKeyId();
        String newKeyId = oldKeyId;
        boolean resumed = false;
        int resealed = 0;
        int verified = 0;
        Map<Long, String> failed = new TreeMap<>(Long::compareUnsigned);
        try {
            List<HsmToken.SealingGeneration> before = token.sealingGenerations();
            if (before.size() > 1) {
                resumed = true;
                oldKeyId = before.stream().filter(g -> !g.current())
                        .max(Comparator.comparingInt(HsmToken.SealingGeneration::generation)).orElseThrow().keyId();
                LOG.infof("sealing-key rotation: older keys are still in the token; continuing the rotation to '%s'",
                        newKeyId);
            } else {
                newKeyId = token.rotateSealingKey();
            }
            LOG.infof("sealing-key rotation: '%s' -> '%s'; re-sealing the stored shares", oldKeyId, newKeyId);
            drainSessions();
            for (int round = 1; round <= MAX_ROUNDS; round++) {
                resealed += reseal(newKeyId, failed);
                Verification v = verify(newKeyId, failed);
                verified = v.verified;
                if (v.stale.isEmpty() || !failed.isEmpty()) {
                    if (!v.stale.isEmpty()) {
                        v.stale.forEach(id -> failed.putIfAbsent(id, "still sealed under an older key"));
                    }
                    break;
                }
                if (round == MAX_ROUNDS) {
                    v.stale.forEach(id -> failed.putIfAbsent(id, "still sealed under an older key after "
                            + MAX_ROUNDS + " re-sealing rounds"));
                }
            }
        } catch (RuntimeException e) {
            String why = describe(e);
            LOG.errorf("sealing-key rotation stopped, no key retired: %s", why);
            return result(oldKeyId, newKeyId, resumed, resealed, verified, false, List.of(), failed,
                    "rotation stopped, no key retired: " + why);
        }
        if (!failed.isEmpty()) {
            LOG.warnf("sealing-key rotation to '%s' incomplete: %d share(s) failed (requests %s); the older keys stay"
                    + " in the token", newKeyId, failed.size(), ids(failed));
            return result(oldKeyId, newKeyId, resumed, resealed, verified, false, List.of(), failed, null);
        }
        List<String> retired = new ArrayList<>();
        try {
            for (HsmToken.SealingGeneration g : token.sealingGenerations()) {
                if (!g.current() && !g.keyId().equals(newKeyId)) {
                    token.retireSealingKey(g.keyId());
                    retired.add(g.keyId());
                } else if (!g.keyId().equals(newKeyId)) {
                    throw new IllegalStateException("the current sealing key changed during the rotation");
                }
            }
        } catch (RuntimeException e) {
            String why = describe(e);
            LOG.errorf("sealing-key rotation: retiring the older keys failed: %s", why);
            return result(oldKeyId, newKeyId, resumed, resealed, verified, false, retired, failed,
                    "every share is under the new key, but retiring the older keys failed: " + why);
        }
        LOG.infof("sealing-key rotation done: '%s' is the only sealing key; %d share(s) re-sealed, %d verified,"
                + " retired %s", newKeyId, resealed, verified, retired);
        return result(oldKeyId, newKeyId, resumed, resealed, verified, true, retired, failed, null);
    }

    private Result result(String oldKeyId, String newKeyId, boolean resumed, int resealed, int verified,
            boolean retired, List<String> retiredKeyIds, Map<Long, String> failed, String error) {
        List<String> remaining = new ArrayList<>();
        try {
            token.sealingGenerations().forEach(g -> remaining.add(g.keyId()));
        } catch (RuntimeException e) {
            LOG.debugf("cannot list the sealing keys: %s", describe(e));
        }
        Map<String, String> f = new java.util.LinkedHashMap<>();
        failed.forEach((id, why) -> f.put(Long.toUnsignedString(id), why));
        return new Result(oldKeyId, newKeyId, resumed, resealed, verified, retired, List.copyOf(retiredKeyIds),
                List.copyOf(remaining), f, error);
    }

    /** Waits until the sessions running now have ended (stored their row or failed). */
    private void drainSessions() {
        Set<Long> before = node.sessions().runningRequestIds();
        if (before.isEmpty()) {
            return;
        }
        LOG.infof("sealing-key rotation: waiting for %d running session(s) to end", before.size());
        long end = System.currentTimeMillis() + drainMillis;
        while (true) {
            Set<Long> now = node.sessions().runningRequestIds();
            if (before.stream().noneMatch(now::contains)) {
                return;
            }
            if (System.currentTimeMillis() > end) {
                throw new IllegalStateException("sessions that started before the rotation are still running");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for running sessions");
            }
        }
    }

    /** One pass over every stored row: re-seals those not under {@code newKeyId}. Returns how many. */
    private int reseal(String newKeyId, Map<Long, String> failed) {
        int count = 0;
        Optional<Long> after = Optional.empty();
        while (true) {
            List<SealedShareRows.Row> page = rows.page(after, PAGE);
            for (SealedShareRows.Row row : page) {
                after = Optional.of(row.requestId());
                byte[] sealed = row.sealedShare();
                if (sealed.length == 0 || failed.containsKey(row.requestId())
                        || newKeyId.equals(HsmToken.sealedKeyId(sealed).orElse(null))) {
                    continue;
                }
                String rid = Long.toUnsignedString(row.requestId());
                try {
                    byte[] aad = aad(row);
                    byte[] fresh;
                    byte[] plain = token.unseal(sealed, aad);
                    try {
                        fresh = token.seal(plain, aad);
                    } finally {
                        Arrays.fill(plain, (byte) 0);
                    }
                    if (!newKeyId.equals(HsmToken.sealedKeyId(fresh).orElse(null))) {
                        throw new IllegalStateException("the current sealing key changed during the rotation");
                    }
                    if (rows.compareAndSetSealedShare(row.requestId(), sealed, fresh)) {
                        count++;
                    } else {
                        LOG.infof("request %s: its sealed share changed during the rotation; checked again later", rid);
                    }
                } catch (HsmException e) {
                    if (e.kind() != HsmException.Kind.UNSEAL_FAILED) {
                        throw e;
                    }
                    String why = "sealed share does not open: " + e.getMessage();
                    LOG.warnf("request %s: cannot re-seal: %s", rid, why);
                    failed.put(row.requestId(), why);
                } catch (PartyException e) {
                    LOG.warnf("request %s: cannot re-seal: %s", rid, e.getMessage());
                    failed.put(row.requestId(), e.getMessage());
                }
            }
            if (page.size() < PAGE) {
                return count;
            }
        }
    }

    private static final class Verification {
        int verified;
        final List<Long> stale = new ArrayList<>();
    }

    /** One pass: every stored share names {@code newKeyId}, opens under it and matches Y_i. */
    private Verification verify(String newKeyId, Map<Long, String> failed) {
        Verification v = new Verification();
        Optional<Long> after = Optional.empty();
        while (true) {
            List<SealedShareRows.Row> page = rows.page(after, PAGE);
            for (SealedShareRows.Row row : page) {
                after = Optional.of(row.requestId());
                if (row.sealedShare().length == 0 || failed.containsKey(row.requestId())) {
                    continue;
                }
                if (!newKeyId.equals(HsmToken.sealedKeyId(row.sealedShare()).orElse(null))) {
                    v.stale.add(row.requestId());
                    continue;
                }
                String rid = Long.toUnsignedString(row.requestId());
                try {
                    ShareCheck check = node.verifyStoredShare(row.requestId()).get();
                    if (check.matches()) {
                        v.verified++;
                    } else {
                        failed.put(row.requestId(), "opens under the new key but does not match its verification share");
                        LOG.warnf("request %s: re-sealed share does not match its verification share", rid);
                    }
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    String why = c instanceof PartyException ? c.getMessage() : describe(c);
                    failed.put(row.requestId(), why);
                    LOG.warnf("request %s: share check after re-sealing failed: %s", rid, why);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while verifying the shares");
                }
            }
            if (page.size() < PAGE) {
                return v;
            }
        }
    }

    private byte[] aad(SealedShareRows.Row row) {
        KeyType type = KeyType.forNumber(row.keyType());
        String curve = SessionSpec.curveName(SessionSpec.curveOf(type == null ? KeyType.UNRECOGNIZED : type));
        return ShareSealing.aad(row.requestId(), row.sessionId(), curve, row.keyType(), node.address());
    }

    private static String ids(Map<Long, String> failed) {
        return failed.keySet().stream().map(Long::toUnsignedString).toList().toString();
    }

    private static String describe(Throwable t) {
        if (t instanceof HsmException || t instanceof PartyException || t instanceof IllegalStateException) {
            return t.getMessage();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    @PreDestroy
    void shutdown() {
        worker.shutdownNow();
    }
}
