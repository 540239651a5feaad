package io.keyfed.cli.keys;

/** A key file could not be created or read. Messages never include key material. */
public final class KeyStoreException extends Exception {
    public KeyStoreException(String message) {
        super(message);
    }
}
