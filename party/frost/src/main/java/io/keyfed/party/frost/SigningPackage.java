package io.keyfed.party.frost;

import java.util.List;

/**
 * What the coordinator sends each signer: the commitment list (sorted by identifier, one per signer) and
 * the message. Public. The rounds check the list; this constructor only copies it.
 */
public final class SigningPackage {
    private final List<SigningCommitments> commitments;
    private final byte[] message;

    public SigningPackage(List<SigningCommitments> commitments, byte[] message) {
        this.commitments = List.copyOf(commitments);
        this.message = message.clone();
    }

    public List<SigningCommitments> commitments() {
        return commitments;
    }

    public byte[] message() {
        return message.clone();
    }

    /** The identifiers of the signers, in list order. */
    public int[] signers() {
        return commitments.stream().mapToInt(SigningCommitments::identifier).toArray();
    }

    @Override
    public String toString() {
        return "SigningPackage[signers=" + java.util.Arrays.toString(signers()) + ", message=" + message.length
                + " bytes]";
    }
}
