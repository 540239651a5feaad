package io.keyfed.ledger.metrics;

import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The escrow address's balance, cached for the gauge: the gauge never reads the database. {@link #refresh()}
 * reads the committed balance asynchronously (one primary-key read on the reactive pool); refreshes asked for
 * while one is running are folded into one more read after it, so a busy ledger runs at most one at a time.
 * NaN until the first read.
 */
final class EscrowBalance {
    private static final Logger LOG = Logger.getLogger(EscrowBalance.class);
    private static final String BALANCE = "select balance from accounts where address = $1";

    private final Pool pool;
    private final Supplier<String> address;
    private volatile double value = Double.NaN;
    private boolean reading;
    private boolean again;

    EscrowBalance(Pool pool, Supplier<String> address) {
        this.pool = pool;
        this.address = address;
    }

    double value() {
        return value;
    }

    void refresh() {
        synchronized (this) {
            if (reading) {
                again = true;
                return;
            }
            reading = true;
            again = false;
        }
        String escrow;
        try {
            escrow = address.get();
        } catch (IllegalStateException notYet) {
            done();
            return; // genesis not loaded yet: the next refresh reads it
        }
        pool.preparedQuery(BALANCE).execute(Tuple.of(escrow)).subscribe().with(rows -> {
            long balance = 0; // no row yet: nothing was ever escrowed
            for (Row row : rows) {
                balance = row.getLong(0);
            }
            value = balance;
            done();
        }, e -> {
            LOG.debugf("escrow balance not read: %s", e.toString());
            done();
        });
    }

    private void done() {
        boolean more;
        synchronized (this) {
            reading = false;
            more = again;
        }
        if (more) {
            refresh();
        }
    }
}
