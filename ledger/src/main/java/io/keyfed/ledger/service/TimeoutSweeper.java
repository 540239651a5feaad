package io.keyfed.ledger.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Rejects and refunds open key and sign requests whose deadline passed. Safe with several replicas: each expiry
 * re-checks the request under the chain-head lock.
 */
@ApplicationScoped
public class TimeoutSweeper {
    private static final Logger LOG = Logger.getLogger(TimeoutSweeper.class);
    private static final int BATCH = 100;

    private final KeyRequestService requests;
    private final SignRequestService signRequests;

    public TimeoutSweeper(KeyRequestService requests, SignRequestService signRequests) {
        this.requests = requests;
        this.signRequests = signRequests;
    }

    @Scheduled(every = "${keyfed.ledger.timeout-sweep-interval:5s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return requests.expiredIds(BATCH)
                .onItem().transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .onItem().transformToUniAndConcatenate(requests::expire)
                .collect().last()
                .chain(() -> signRequests.expiredIds(BATCH))
                .onItem().transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .onItem().transformToUniAndConcatenate(signRequests::expire)
                .collect().last()
                .replaceWithVoid()
                .onFailure().recoverWithUni(t -> {
                    LOG.warnf("timeout sweep failed, will retry: %s", t.toString());
                    return Uni.createFrom().voidItem();
                });
    }
}
