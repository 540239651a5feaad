package io.keyfed.bench.prefill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import io.keyfed.cli.keys.SigningKey;

/**
 * The ledger state the prefill reads and moves on, inside its transaction: the chain head (locked with
 * {@code select ... for update}, as every ledger writer locks it, so a running ledger waits), the genesis
 * parameters and the admin's account (locked too).
 */
final class LedgerState {
    final long height;
    final byte[] hash;
    final long nextRequestId;
    final String chainId;
    final String prefix;
    final String escrow;
    final long defaultTimeoutSeconds;
    final String adminAddr;
    final long sequence;
    private final byte[] adminPublicKey;

    private LedgerState(long height, byte[] hash, long nextRequestId, String chainId, String prefix, String escrow,
            long defaultTimeoutSeconds, String adminAddr, long sequence, byte[] adminPublicKey) {
        this.height = height;
        this.hash = hash;
        this.nextRequestId = nextRequestId;
        this.chainId = chainId;
        this.prefix = prefix;
        this.escrow = escrow;
        this.defaultTimeoutSeconds = defaultTimeoutSeconds;
        this.adminAddr = adminAddr;
        this.sequence = sequence;
        this.adminPublicKey = adminPublicKey;
    }

    /**
     * Locks the head and the admin's account.
     *
     * @throws IllegalStateException when the database has no genesis, the admin has no account, or its balance
     *                               cannot pay {@code fees}
     */
    static LedgerState lock(Connection c, SigningKey admin, long fees) throws SQLException {
        long height;
        byte[] hash;
        long nextId;
        try (PreparedStatement ps = c.prepareStatement(
                "select height, hash, next_request_id from chain_head where id = 1 for update");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("the database has no chain head: start the ledger once on it, so that"
                        + " its migrations and genesis run, before prefilling");
            }
            height = rs.getLong(1);
            hash = rs.getBytes(2);
            nextId = rs.getLong(3);
        }
        String chainId;
        String prefix;
        String escrow;
        long timeout;
        try (PreparedStatement ps = c.prepareStatement(
                "select chain_id, address_prefix, escrow_address, default_timeout_seconds from params where id = 1");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("the database has no genesis parameters");
            }
            chainId = rs.getString(1);
            prefix = rs.getString(2);
            escrow = rs.getString(3);
            timeout = rs.getLong(4);
        }
        String adminAddr = admin.address(prefix);
        try (PreparedStatement ps = c.prepareStatement(
                "select sequence, balance from accounts where address = ? for update")) {
            ps.setString(1, adminAddr);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("the admin key's account " + adminAddr
                            + " is not in the ledger (it must be funded at genesis)");
                }
                long balance = rs.getLong(2);
                if (balance < fees) {
                    throw new IllegalStateException("the admin account " + adminAddr + " has " + balance
                            + " urock, the prefill's fees need " + fees);
                }
                return new LedgerState(height, hash, nextId, chainId, prefix, escrow, timeout, adminAddr,
                        rs.getLong(1), admin.publicKey());
            }
        }
    }

    /**
     * After the rows: the admin paid {@code fees} and signed up to {@code sequence}, the keyring's address got the
     * released fees, the escrow row exists (the ledger creates it at the first escrow), and the head moved on.
     */
    void finish(Connection c, long newSequence, long newHeight, byte[] newHash, long newNextId, String keyring,
            long fees) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update accounts set sequence = ?, balance = balance - ?,"
                + " public_key = coalesce(public_key, ?) where address = ?")) {
            ps.setLong(1, newSequence);
            ps.setLong(2, fees);
            ps.setBytes(3, adminPublicKey);
            ps.setString(4, adminAddr);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("insert into accounts (address, sequence, balance) values (?, 0, ?)"
                + " on conflict (address) do update set balance = accounts.balance + excluded.balance")) {
            ps.setString(1, keyring);
            ps.setLong(2, fees);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "insert into accounts (address, sequence, balance) values (?, 0, 0) on conflict (address) do nothing")) {
            ps.setString(1, escrow);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "update chain_head set height = ?, hash = ?, next_request_id = ? where id = 1")) {
            ps.setLong(1, newHeight);
            ps.setBytes(2, newHash);
            ps.setLong(3, newNextId);
            ps.executeUpdate();
        }
    }
}
