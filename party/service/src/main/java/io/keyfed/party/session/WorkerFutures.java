package io.keyfed.party.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

import io.grpc.Status;

/**
 * Futures of the session layer: {@link #async} runs a call's work on the worker executor (never on the
 * caller's event-loop thread) and hands back its outcome unwrapped; a worker pool that is shut down answers
 * UNAVAILABLE. {@link #unwrap} and {@link #describe} give the cause of a failed future and a one-line text for
 * logs. Stateless.
 */
public final class WorkerFutures {
    private WorkerFutures() {
    }

    /** The work of one call, started on the worker. */
    public interface Body<T> {
        CompletableFuture<T> run();
    }

    /** Runs {@code body} on {@code worker}; completes with its outcome (a failure unwrapped). */
    public static <T> CompletableFuture<T> async(ExecutorService worker, Body<T> body) {
        CompletableFuture<T> out = new CompletableFuture<>();
        try {
            worker.execute(() -> {
                try {
                    body.run().whenComplete((v, err) -> {
                        if (err != null) {
                            out.completeExceptionally(unwrap(err));
                        } else {
                            out.complete(v);
                        }
                    });
                } catch (RuntimeException e) {
                    out.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            out.completeExceptionally(new PartyException(Status.Code.UNAVAILABLE, "the party is shutting down"));
        }
        return out;
    }

    /** The cause of a failed future, without its CompletionException and ExecutionException wrappers. */
    public static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** A failure as one line for logs: its gRPC status code and description. */
    public static String describe(Throwable t) {
        Throwable c = unwrap(t);
        if (c instanceof PartyException pe) {
            return pe.code() + ": " + pe.getMessage();
        }
        Status s = Status.fromThrowable(c);
        return s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
    }
}
