package io.keyfed.cli.tls;

/** A TLS file (CA, certificate, private key) that is missing, unreadable or not what it should be. */
public final class TlsFileException extends Exception {
    public TlsFileException(String message) {
        super(message);
    }
}
