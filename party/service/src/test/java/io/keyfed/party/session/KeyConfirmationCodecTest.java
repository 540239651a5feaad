package io.keyfed.party.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class KeyConfirmationCodecTest {

    @Test
    void theDigestCoversSessionGroupKeyAndPackage() {
        byte[] sid = new byte[32];
        byte[] y = new byte[33];
        byte[] pkp = new byte[] { 1, 4, 1, 2, 3 };
        byte[] d = KeyConfirmation.digest(sid, y, pkp);
        assertEquals(KeyConfirmation.DIGEST_LENGTH, d.length);
        assertArrayEquals(d, KeyConfirmation.digest(sid.clone(), y.clone(), pkp.clone()));
        byte[] sid2 = sid.clone();
        sid2[0] = 1;
        byte[] y2 = y.clone();
        y2[32] = 1;
        byte[] pkp2 = pkp.clone();
        pkp2[4] = 9;
        assertFalse(Arrays.equals(d, KeyConfirmation.digest(sid2, y, pkp)));
        assertFalse(Arrays.equals(d, KeyConfirmation.digest(sid, y2, pkp)));
        assertFalse(Arrays.equals(d, KeyConfirmation.digest(sid, y, pkp2)));
    }

    @Test
    void complaintsRoundTripAndBadOnesAreRefused() {
        byte[] c = KeyConfirmation.encodeComplaint(2, "invalid_share");
        assertEquals(new KeyConfirmation.Complaint(2, "invalid_share"), KeyConfirmation.decodeComplaint(c, 3));
        assertEquals(new KeyConfirmation.Complaint(0, "inconsistent_result"),
                KeyConfirmation.decodeComplaint(KeyConfirmation.encodeComplaint(0, "inconsistent_result"), 3));
        assertNull(KeyConfirmation.decodeComplaint(c, 1), "culprit beyond n");
        assertNull(KeyConfirmation.decodeComplaint(new byte[0], 3));
        assertNull(KeyConfirmation.decodeComplaint(new byte[] { 3, 0, 1, 1, 'a' }, 3), "unknown version");
        assertNull(KeyConfirmation.decodeComplaint(new byte[] { 2, 0, 1, 1, 'a' }, 3), "version 2 without evidence");
        // Version 2 carries evidence after the check name; it stays with the complaint as it came.
        byte[] withEvidence = KeyConfirmation.encodeComplaint(2, "invalid_share", new byte[] { 7, 8, 9 });
        assertEquals(2, withEvidence[0]);
        assertEquals(new KeyConfirmation.Complaint(2, "invalid_share", new byte[] { 7, 8, 9 }),
                KeyConfirmation.decodeComplaint(withEvidence, 3));
        assertNull(KeyConfirmation.decodeComplaint(c, 3).evidence(), "version 1 carries none");
        assertNull(KeyConfirmation.decodeComplaint(new byte[] { 1, 0, 1, 2, 'a' }, 3), "length mismatch");
        assertNull(KeyConfirmation.decodeComplaint(new byte[] { 1, 0, 1, 1, 'A' }, 3), "not [a-z_]");
        byte[] longCheck = new byte[4 + 33];
        longCheck[0] = 1;
        longCheck[3] = 33;
        Arrays.fill(longCheck, 4, longCheck.length, (byte) 'a');
        assertNull(KeyConfirmation.decodeComplaint(longCheck, 3), "check too long");
        // A check name outside the alphabet is never sent as is.
        assertEquals("unspecified", KeyConfirmation.decodeComplaint(KeyConfirmation.encodeComplaint(1, "Bad!"), 3)
                .check());
    }
}
