package io.keyfed.ledger.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyfed.api.crypto.Bech32;
import io.keyfed.api.crypto.Hashes;
import io.keyfed.ledger.config.LedgerConfig;
import io.quarkus.runtime.StartupEvent;

/**
 * Applies the genesis file exactly once, to an empty database, in one transaction, and loads the
 * ledger parameters. Genesis JSON:
 *
 * <pre>
 * {"chain_id": "keyfed-1",
 *  "accounts": [{"address": "zen1...", "amount": "1000000"}],
 *  "params": {"default_timeout_seconds": 300, "max_timeout_seconds": 86400}}
 * </pre>
 *
 * chain_id falls back to {@code keyfed.ledger.chain-id}, the params to {@code keyfed.ledger.default-timeout}
 * and {@code keyfed.ledger.max-timeout}. Several replicas may start at once: the chain-head insert decides
 * which one applies it. Runs at startup on the JDBC datasource (blocking is fine there).
 */
@ApplicationScoped
public class GenesisService {
    private static final Logger LOG = Logger.getLogger(GenesisService.class);
    public static final String DENOM = "urock";
    private static final int MAX_GENESIS_ACCOUNTS = 100_000;

    private final DataSource dataSource;
    private final LedgerConfig config;
    private final ObjectMapper mapper;
    private volatile LedgerParams params;

    public GenesisService(DataSource dataSource, LedgerConfig config, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.config = config;
        this.mapper = mapper;
    }

    /** Escrow module address: bech32(prefix, first 20 bytes of SHA-256("keyfed/escrow")). */
    public static String escrowAddress(String prefix) {
        byte[] h = Hashes.sha256("keyfed/escrow".getBytes(StandardCharsets.US_ASCII));
        return Bech32.encode(prefix, java.util.Arrays.copyOf(h, 20));
    }

    void onStart(@Observes StartupEvent ev) {
        params = loadOrApply();
        LOG.infof("ledger chain %s, prefix %s, genesis supply %d %s, escrow %s; secp256k1 signatures verified with %s",
                params.chainId(), params.addressPrefix(), params.genesisSupply(), params.denom(),
                params.escrowAddress(), io.keyfed.api.crypto.Secp256k1.backend());
    }

    public LedgerParams params() {
        LedgerParams p = params;
        if (p == null) {
            throw new IllegalStateException("ledger not initialised yet");
        }
        return p;
    }

    private LedgerParams loadOrApply() {
        try (Connection c = dataSource.getConnection()) {
            LedgerParams existing = read(c);
            if (existing != null) {
                if (!existing.addressPrefix().equals(config.addressPrefix())) {
                    LOG.warnf("database was created with address prefix %s; ignoring configured %s",
                            existing.addressPrefix(), config.addressPrefix());
                }
                return existing;
            }
            Genesis g = readGenesisFile();
            apply(c, g);
            LedgerParams p = read(c);
            if (p == null) {
                throw new IllegalStateException("genesis was not applied");
            }
            return p;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot initialise the ledger database: " + e.getMessage(), e);
        }
    }

    private static LedgerParams read(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select chain_id, address_prefix, denom, genesis_supply,"
                + " escrow_address, default_timeout_seconds, max_timeout_seconds from params where id = 1");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            return new LedgerParams(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                    rs.getString(5), rs.getLong(6), rs.getLong(7));
        }
    }

    record Genesis(String chainId, Map<String, Long> accounts, long supply, long defaultTimeout, long maxTimeout) {
    }

    Genesis readGenesisFile() {
        Path file = Path.of(config.genesisFile());
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("the database is empty and the genesis file '" + file.toAbsolutePath()
                    + "' does not exist; set keyfed.ledger.genesis-file");
        }
        JsonNode root;
        try {
            root = mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("genesis file '" + file + "' is not valid JSON: " + e.getMessage());
        }
        String prefix = config.addressPrefix();
        String chainId = root.path("chain_id").asText(config.chainId());
        if (chainId.isEmpty() || chainId.length() > Inputs.MAX_CHAIN_ID) {
            throw new IllegalStateException("genesis chain_id must have 1.." + Inputs.MAX_CHAIN_ID + " characters");
        }
        Map<String, Long> accounts = new java.util.LinkedHashMap<>();
        long supply = 0;
        JsonNode list = root.path("accounts");
        if (list.size() > MAX_GENESIS_ACCOUNTS) {
            throw new IllegalStateException("genesis has more than " + MAX_GENESIS_ACCOUNTS + " accounts");
        }
        Set<String> seen = new HashSet<>();
        for (Iterator<JsonNode> it = list.elements(); it.hasNext();) {
            JsonNode a = it.next();
            try {
                String addr = Inputs.address(a.path("address").asText(""), prefix, "genesis account address");
                long amount = Inputs.amount(a.path("amount").asText(""), "genesis amount of " + addr);
                if (!seen.add(addr)) {
                    throw new IllegalStateException("genesis lists account " + addr + " twice");
                }
                supply = Math.addExact(supply, amount);
                accounts.put(addr, amount);
            } catch (LedgerException e) {
                throw new IllegalStateException("bad genesis file: " + e.getMessage());
            } catch (ArithmeticException e) {
                throw new IllegalStateException("genesis supply overflows " + Long.MAX_VALUE);
            }
        }
        JsonNode ps = root.path("params");
        long def = ps.path("default_timeout_seconds").asLong(config.defaultTimeout().toSeconds());
        long max = ps.path("max_timeout_seconds").asLong(config.maxTimeout().toSeconds());
        if (def <= 0 || max <= 0 || def > max) {
            throw new IllegalStateException("genesis params need 0 < default_timeout_seconds <= max_timeout_seconds");
        }
        return new Genesis(chainId, accounts, supply, def, max);
    }

    private void apply(Connection c, Genesis g) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            int claimed;
            try (PreparedStatement ps = c.prepareStatement("insert into chain_head (id, height, hash, next_request_id)"
                    + " values (1, 0, ?, 1) on conflict (id) do nothing")) {
                ps.setBytes(1, new byte[32]);
                claimed = ps.executeUpdate();
            }
            if (claimed == 1) {
                String prefix = config.addressPrefix();
                try (PreparedStatement ps = c.prepareStatement("insert into params (id, chain_id, address_prefix,"
                        + " denom, genesis_supply, escrow_address, default_timeout_seconds, max_timeout_seconds)"
                        + " values (1, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, g.chainId());
                    ps.setString(2, prefix);
                    ps.setString(3, DENOM);
                    ps.setLong(4, g.supply());
                    ps.setString(5, escrowAddress(prefix));
                    ps.setLong(6, g.defaultTimeout());
                    ps.setLong(7, g.maxTimeout());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into accounts (address, sequence, balance) values (?, 0, ?)")) {
                    for (Map.Entry<String, Long> e : g.accounts().entrySet()) {
                        ps.setString(1, e.getKey());
                        ps.setLong(2, e.getValue());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                LOG.infof("genesis applied: chain %s, %d accounts, supply %d %s", g.chainId(), g.accounts().size(),
                        g.supply(), DENOM);
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
