package io.keyfed.ledger.stream;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.keyfed.ledger.service.KeyRequestEvents;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;

/**
 * LISTEN on the key-request channel through its own connection (PgSubscriber), reconnecting forever.
 * Listeners get the notification payload (a keyring address), or {@code null} after every (re)subscribe,
 * when notifications may have been missed; either way they re-read from the database.
 *
 * <p>{@link #generation()} counts the notifications (and resubscribes) received so far; it is incremented
 * before the listeners are called. A read started while the generation is g therefore sees every commit
 * whose notification is among the first g.
 */
@ApplicationScoped
public class NotificationListener {
    private static final Logger LOG = Logger.getLogger(NotificationListener.class);

    private final Vertx vertx;
    private final String reactiveUrl;
    private final String username;
    private final String password;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong generation = new AtomicLong();
    private volatile PgSubscriber subscriber;

    public NotificationListener(Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String reactiveUrl,
            @ConfigProperty(name = "quarkus.datasource.username", defaultValue = "postgres") String username,
            @ConfigProperty(name = "quarkus.datasource.password", defaultValue = "") String password) {
        this.vertx = vertx;
        this.reactiveUrl = reactiveUrl;
        this.username = username;
        this.password = password;
    }

    void onStart(@Observes StartupEvent ev) {
        String uri = reactiveUrl.startsWith("vertx-reactive:") ? reactiveUrl.substring("vertx-reactive:".length())
                : reactiveUrl;
        PgConnectOptions options = PgConnectOptions.fromUri(uri).setUser(username).setPassword(password);
        PgSubscriber s = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 500L);
        s.channel(KeyRequestEvents.CHANNEL)
                .handler(this::fire)
                .subscribeHandler(() -> {
                    LOG.debug("listening for key-request notifications");
                    fire(null);
                });
        s.closeHandler(() -> LOG.debug("notification connection closed"));
        subscriber = s;
        s.connect().subscribe().with(v -> LOG.info("listening for key-request notifications"),
                t -> LOG.warnf("cannot listen for notifications yet, retrying: %s", t.getMessage()));
    }

    void onStop(@Observes ShutdownEvent ev) {
        PgSubscriber s = subscriber;
        subscriber = null;
        if (s != null) {
            s.close().await().atMost(java.time.Duration.ofSeconds(5));
        }
    }

    /** Notifications (and resubscribes) received so far. */
    public long generation() {
        return generation.get();
    }

    private void fire(String payload) {
        generation.incrementAndGet();
        for (Consumer<String> l : listeners) {
            try {
                l.accept(payload);
            } catch (RuntimeException e) {
                LOG.warnf("watch listener failed: %s", e.toString());
            }
        }
    }

    public void register(Consumer<String> listener) {
        listeners.add(listener);
    }

    public void unregister(Consumer<String> listener) {
        listeners.remove(listener);
    }
}
