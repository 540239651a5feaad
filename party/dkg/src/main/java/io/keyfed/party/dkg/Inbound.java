package io.keyfed.party.dkg;

import io.keyfed.party.dkg.pkg.EchoPackage;
import io.keyfed.party.dkg.pkg.SignedRound1Package;
import io.keyfed.party.dkg.secret.Round2Package;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A received package together with the participant identifier the transport authenticated it as coming
 * from. The engine checks the package's own sender field against {@code from}.
 */
public record Inbound<P>(int from, P message) {
    public Inbound {
        Objects.requireNonNull(message, "message");
    }

    /** Wraps packages using their own sender field as {@code from} (in-memory use only). */
    public static List<Inbound<SignedRound1Package>> round1(Collection<SignedRound1Package> packages) {
        List<Inbound<SignedRound1Package>> out = new ArrayList<>();
        packages.forEach(p -> out.add(new Inbound<>(p.pkg().sender(), p)));
        return out;
    }

    /** Wraps packages using their own sender field as {@code from} (in-memory use only). */
    public static List<Inbound<EchoPackage>> echo(Collection<EchoPackage> packages) {
        List<Inbound<EchoPackage>> out = new ArrayList<>();
        packages.forEach(p -> out.add(new Inbound<>(p.sender(), p)));
        return out;
    }

    /** Wraps packages using their own sender field as {@code from} (in-memory use only). */
    public static List<Inbound<Round2Package>> round2(Collection<Round2Package> packages) {
        List<Inbound<Round2Package>> out = new ArrayList<>();
        packages.forEach(p -> out.add(new Inbound<>(p.sender(), p)));
        return out;
    }
}
