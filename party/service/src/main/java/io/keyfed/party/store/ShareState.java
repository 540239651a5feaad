package io.keyfed.party.store;

import java.util.Locale;

/**
 * Where a stored share stands (column {@code share_state}). A DKG session stores its verified share
 * {@link #PENDING} before it sends its CONFIRM; the share then becomes {@link #ACTIVE} (every peer confirmed, or
 * the ledger shows the request FULFILLED with this party's key) or {@link #RETIRED} (the ledger shows the request
 * REJECTED). Only those two moves exist, each once; a share is never deleted.
 */
public enum ShareState {
    PENDING, ACTIVE, RETIRED;

    /** The column value: {@code pending}, {@code active}, {@code retired}. */
    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state of a column value; null for null (a row without a share). */
    public static ShareState ofColumn(String value) {
        return value == null ? null : valueOf(value.toUpperCase(Locale.ROOT));
    }
}
