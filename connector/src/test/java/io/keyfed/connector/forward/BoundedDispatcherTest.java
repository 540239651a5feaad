package io.keyfed.connector.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Drives the dispatcher by hand: jobs complete when the test says so; permits and timers are simulated. */
class BoundedDispatcherTest {

    private final Map<Integer, CompletableFuture<Void>> running = new HashMap<>();
    private final List<Integer> started = new ArrayList<>();
    /** Permits left; none left means "ask again in 0.5 s". A negative count means unlimited. */
    private final AtomicInteger permits = new AtomicInteger(-1);
    private final List<Runnable> timers = new ArrayList<>();
    private final List<Long> timerDelays = new ArrayList<>();
    private final AtomicInteger idle = new AtomicInteger();

    private long tryAcquire() {
        if (permits.get() == 0) {
            return 500_000_000L;
        }
        if (permits.get() > 0) {
            permits.decrementAndGet();
        }
        return 0;
    }

    private BoundedDispatcher<Integer> dispatcher(int maxInFlight, int capacity) {
        return new BoundedDispatcher<>(maxInFlight, capacity, this::tryAcquire,
                (delay, task) -> {
                    timerDelays.add(delay);
                    timers.add(task);
                },
                job -> {
                    CompletableFuture<Void> done = new CompletableFuture<>();
                    running.put(job, done);
                    started.add(job);
                    return Uni.createFrom().completionStage(done);
                },
                idle::incrementAndGet);
    }

    @Test
    void neverRunsMoreThanMaxInFlightAndKeepsFifoOrder() {
        BoundedDispatcher<Integer> d = dispatcher(2, 100);
        for (int i = 1; i <= 5; i++) {
            assertTrue(d.offer(i));
        }
        assertEquals(List.of(1, 2), started);
        assertEquals(2, d.inFlight());
        assertEquals(3, d.queued());

        running.get(2).complete(null);
        assertEquals(List.of(1, 2, 3), started);
        running.get(1).completeExceptionally(new RuntimeException("failed job frees its slot too"));
        assertEquals(List.of(1, 2, 3, 4), started);
        assertEquals(2, d.inFlight());
        assertEquals(0, idle.get());

        running.get(3).complete(null);
        running.get(4).complete(null);
        running.get(5).complete(null);
        assertEquals(0, d.inFlight());
        assertEquals(0, d.queued());
        assertEquals(1, idle.get());
    }

    @Test
    void refusesWhenTheQueueIsFull() {
        BoundedDispatcher<Integer> d = dispatcher(1, 2);
        assertTrue(d.offer(1));
        assertTrue(d.offer(2));
        assertTrue(d.offer(3));
        assertFalse(d.offer(4));
        assertEquals(2, d.queued());
    }

    @Test
    void aRefusedPermitDefersStartsToOneTimer() {
        permits.set(2);
        BoundedDispatcher<Integer> d = dispatcher(10, 100);
        for (int i = 1; i <= 4; i++) {
            d.offer(i);
        }
        assertEquals(List.of(1, 2), started, "as many as there were permits");
        assertEquals(1, timers.size(), "one timer, not one per waiting job");
        assertEquals(500_000_000L, timerDelays.get(0), "the wait the permit asked for");

        permits.set(1);
        timers.remove(0).run();
        assertEquals(List.of(1, 2, 3), started);
        assertEquals(1, timers.size());

        permits.set(1);
        timers.remove(0).run();
        assertEquals(List.of(1, 2, 3, 4), started);
        assertTrue(timers.isEmpty());
    }

    @Test
    void jobsCompletingImmediatelyDoNotRecurseWithoutBound() {
        AtomicInteger count = new AtomicInteger();
        BoundedDispatcher<Integer> d = new BoundedDispatcher<>(1, 100_000, () -> 0,
                (delay, task) -> { }, job -> {
                    count.incrementAndGet();
                    return Uni.createFrom().voidItem();
                }, () -> { });
        for (int i = 0; i < 50_000; i++) {
            d.offer(i);
        }
        assertEquals(50_000, count.get());
        assertEquals(0, d.inFlight());
    }

    @Test
    void aWorkerThatThrowsFreesItsSlot() {
        AtomicInteger calls = new AtomicInteger();
        BoundedDispatcher<Integer> d = new BoundedDispatcher<>(1, 10, () -> 0,
                (delay, task) -> { }, job -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("boom");
                }, () -> { });
        d.offer(1);
        d.offer(2);
        assertEquals(2, calls.get());
        assertEquals(0, d.inFlight());
    }
}
