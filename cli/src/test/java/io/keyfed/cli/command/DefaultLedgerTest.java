package io.keyfed.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DefaultLedgerTest {
    private static Context context(Map<String, String> env) {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream());
        return new Context(sink, sink, env);
    }

    @Test
    void withoutAnAddressTheClientTalksTlsToTheLocalLedger() {
        assertEquals("https://localhost:8080", context(Map.of()).ledgerUrl());
    }

    @Test
    void theEnvironmentNamesAnotherLedger() {
        assertEquals("http://127.0.0.1:9", context(Map.of("KEYFED_LEDGER", "http://127.0.0.1:9")).ledgerUrl());
    }
}
