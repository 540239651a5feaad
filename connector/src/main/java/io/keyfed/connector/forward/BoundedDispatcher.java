package io.keyfed.connector.forward;

import io.smallrye.mutiny.Uni;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs asynchronous jobs with at most {@code maxInFlight} running at once and no faster than its
 * {@link StartPermit} allows (in the connector: {@link StartRate}); the rest wait in a bounded FIFO queue.
 * Never blocks: a job is a {@link Uni} and its termination frees the slot; a wait for a permit is a timer.
 *
 * @param <T> the job's input
 */
public final class BoundedDispatcher<T> {

    /** Whether a job may start now. */
    @FunctionalInterface
    public interface StartPermit {
        /** Takes a permit: 0 when one was taken, otherwise the nanoseconds after which to ask again. */
        long tryAcquire();
    }

    /** Schedules a task after a delay, without blocking the caller. */
    @FunctionalInterface
    public interface Timer {
        void schedule(long delayNanos, Runnable task);
    }

    private final int maxInFlight;
    private final int queueCapacity;
    private final StartPermit permit;
    private final Timer timer;
    private final Function<T, Uni<?>> worker;
    private final Runnable onIdle;

    private final ArrayDeque<T> queue = new ArrayDeque<>();
    private final AtomicInteger wip = new AtomicInteger();
    private int inFlight;
    private boolean timerPending;

    public BoundedDispatcher(int maxInFlight, int queueCapacity, StartPermit permit, Timer timer, Function<T, Uni<?>> worker, Runnable onIdle) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("max in flight must be at least 1");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1");
        }
        this.maxInFlight = maxInFlight;
        this.queueCapacity = queueCapacity;
        this.permit = permit;
        this.timer = timer;
        this.worker = worker;
        this.onIdle = onIdle;
    }

    /** Queues a job; false (and nothing queued) when the queue is full. */
    public boolean offer(T job) {
        synchronized (this) {
            if (queue.size() >= queueCapacity) {
                return false;
            }
            queue.addLast(job);
        }
        drain();
        return true;
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    public synchronized int queued() {
        return queue.size();
    }

    /** Starts as many queued jobs as slots and permits allow. Re-entrant calls are folded into the running loop. */
    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        do {
            List<T> toStart = new ArrayList<>();
            long waitNanos = 0;
            synchronized (this) {
                while (inFlight < maxInFlight && !queue.isEmpty()) {
                    long wait = permit.tryAcquire();
                    if (wait > 0) {
                        if (!timerPending) {
                            timerPending = true;
                            waitNanos = wait;
                        }
                        break;
                    }
                    toStart.add(queue.pollFirst());
                    inFlight++;
                }
            }
            if (waitNanos > 0) {
                timer.schedule(waitNanos, this::onTimer);
            }
            for (T job : toStart) {
                start(job);
            }
        } while (wip.decrementAndGet() != 0);
    }

    private void onTimer() {
        synchronized (this) {
            timerPending = false;
        }
        drain();
    }

    private void start(T job) {
        Uni<?> run;
        try {
            run = worker.apply(job);
        } catch (RuntimeException e) {
            run = Uni.createFrom().failure(e);
        }
        run.subscribe().with(ignored -> finished(), failure -> finished());
    }

    private void finished() {
        boolean idle;
        synchronized (this) {
            inFlight--;
            idle = inFlight == 0 && queue.isEmpty();
        }
        if (idle) {
            onIdle.run();
        }
        drain();
    }
}
