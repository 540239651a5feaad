package io.keyfed.ledger.service;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque page tokens: base64url of a kind tag and the last key of the previous page. */
public final class PageTokens {
    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 100;

    private PageTokens() {
    }

    public static int size(long requested) {
        if (requested < 0 || requested > MAX_SIZE) {
            throw LedgerException.invalid("page_size " + requested + " must be between 1 and " + MAX_SIZE);
        }
        return requested == 0 ? DEFAULT_SIZE : (int) requested;
    }

    public static String encode(String kind, String last) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((kind + ":" + last).getBytes(StandardCharsets.UTF_8));
    }

    /** The last key carried by {@code token}, or {@code empty} for a first page. */
    public static String decode(String kind, String token, String empty) {
        if (token == null || token.isEmpty()) {
            return empty;
        }
        try {
            if (token.length() > 200) {
                throw new IllegalArgumentException();
            }
            String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (!s.startsWith(kind + ":")) {
                throw new IllegalArgumentException();
            }
            return s.substring(kind.length() + 1);
        } catch (IllegalArgumentException e) {
            throw LedgerException.invalid("page_token is not a token from this listing");
        }
    }

    public static long decodeId(String kind, String token) {
        try {
            return Long.parseLong(decode(kind, token, "0"));
        } catch (NumberFormatException e) {
            throw LedgerException.invalid("page_token is not a token from this listing");
        }
    }
}
