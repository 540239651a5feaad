package io.keyfed.party.dkg;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/** Participant list helpers: identifiers are 1-based positions in the byte-wise sorted party list. */
public final class Participants {
    private Participants() {
    }

    /** Sorts byte-wise over UTF-8 and rejects duplicates. */
    public static List<String> sorted(Collection<String> parties) {
        List<String> out = new ArrayList<>(parties);
        out.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        requireSorted(out);
        return List.copyOf(out);
    }

    /** Participant identifier (1..n) of {@code party} in the sorted list. */
    public static int identifierOf(List<String> sortedParties, String party) {
        requireSorted(sortedParties);
        int idx = sortedParties.indexOf(party);
        if (idx < 0) {
            throw new IllegalArgumentException("party not in the participant list");
        }
        return idx + 1;
    }

    static void requireSorted(List<String> parties) {
        for (int i = 0; i < parties.size(); i++) {
            if (parties.get(i) == null) {
                throw new IllegalArgumentException("null participant");
            }
            if (i > 0 && Arrays.compareUnsigned(parties.get(i - 1).getBytes(StandardCharsets.UTF_8),
                    parties.get(i).getBytes(StandardCharsets.UTF_8)) >= 0) {
                throw new IllegalArgumentException("participant list must be strictly ascending (byte-wise UTF-8)");
            }
        }
    }
}
