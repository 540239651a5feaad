package io.keyfed.api.wallet;

import java.util.Arrays;

import io.keyfed.api.crypto.Bech32;

/**
 * Segregated-witness addresses: witness version 0 in bech32 (BIP-173), versions 1 to 16 in bech32m
 * (BIP-350). The decoder enforces BIP-350's rules, including the checksum that fits the version.
 */
public final class SegwitAddress {
    private SegwitAddress() {
    }

    /** A decoded witness program. */
    public record Decoded(int version, byte[] program) {
    }

    /** Encodes a witness-v0 program (20-byte P2WPKH or 32-byte P2WSH). */
    public static String encodeV0(String hrp, byte[] program) {
        if (program == null || (program.length != 20 && program.length != 32)) {
            throw new IllegalArgumentException("witness v0 program must be 20 or 32 bytes");
        }
        byte[] p5 = Bech32.convertBits(program, 8, 5, true);
        byte[] data = new byte[p5.length + 1];
        data[0] = 0;
        System.arraycopy(p5, 0, data, 1, p5.length);
        return Bech32.encode5(hrp, data);
    }

    /**
     * Encodes a witness program of any version: v0 (20 or 32 bytes) in bech32, v1 to v16 (2 to 40 bytes)
     * in bech32m.
     */
    public static String encode(String hrp, int version, byte[] program) {
        if (version == 0) {
            return encodeV0(hrp, program);
        }
        if (version < 0 || version > 16) {
            throw new IllegalArgumentException("witness version must be 0 to 16, got " + version);
        }
        if (program == null || program.length < 2 || program.length > 40) {
            throw new IllegalArgumentException("witness program must be 2 to 40 bytes");
        }
        byte[] p5 = Bech32.convertBits(program, 8, 5, true);
        byte[] data = new byte[p5.length + 1];
        data[0] = (byte) version;
        System.arraycopy(p5, 0, data, 1, p5.length);
        return Bech32.encode5(hrp, data, Bech32.Encoding.BECH32M);
    }

    /** P2TR address (witness v1, bech32m) of a 32-byte x-only output key. */
    public static String p2tr(String hrp, byte[] outputKey) {
        if (outputKey == null || outputKey.length != 32) {
            throw new IllegalArgumentException("P2TR needs a 32-byte x-only output key");
        }
        return encode(hrp, 1, outputKey);
    }

    /** P2WPKH address of a 20-byte key hash. */
    public static String p2wpkh(String hrp, byte[] hash160) {
        if (hash160 == null || hash160.length != 20) {
            throw new IllegalArgumentException("P2WPKH needs a 20-byte key hash");
        }
        return encodeV0(hrp, hash160);
    }

    /**
     * Decodes a segwit address under the expected hrp by BIP-350's rules; throws IllegalArgumentException
     * naming the problem.
     */
    public static Decoded decode(String expectedHrp, String address) {
        Bech32.Checked checked = Bech32.decode5Any(address);
        Bech32.Decoded d = checked.decoded();
        if (!d.hrp().equals(expectedHrp)) {
            throw new IllegalArgumentException("segwit address has prefix '" + d.hrp() + "', expected '"
                    + expectedHrp + "'");
        }
        byte[] data = d.data();
        if (data.length == 0) {
            throw new IllegalArgumentException("segwit address has an empty data section");
        }
        int version = data[0];
        if (version > 16) {
            throw new IllegalArgumentException("segwit address has an invalid witness version " + version);
        }
        byte[] program = Bech32.convertBits(Arrays.copyOfRange(data, 1, data.length), 5, 8, false);
        if (program.length < 2 || program.length > 40) {
            throw new IllegalArgumentException("segwit address has an invalid program length " + program.length);
        }
        if (version == 0 && program.length != 20 && program.length != 32) {
            throw new IllegalArgumentException("segwit address has an invalid program length " + program.length
                    + " for witness version 0");
        }
        Bech32.Encoding needed = version == 0 ? Bech32.Encoding.BECH32 : Bech32.Encoding.BECH32M;
        if (checked.encoding() != needed) {
            throw new IllegalArgumentException("segwit witness version " + version + " needs a "
                    + needed.label() + " checksum, got " + checked.encoding().label());
        }
        return new Decoded(version, program);
    }

    /** The scriptPubKey of a witness program: OP_n, push(len), program. */
    public static byte[] scriptPubKey(Decoded d) {
        byte[] s = new byte[d.program().length + 2];
        s[0] = (byte) (d.version() == 0 ? 0 : 0x50 + d.version());
        s[1] = (byte) d.program().length;
        System.arraycopy(d.program(), 0, s, 2, d.program().length);
        return s;
    }
}
