package io.keyfed.party.dkls;

import java.security.SecureRandom;

/** TEST ONLY: an honest pairwise setup between two parties, run in memory. */
final class TestSetups {
    private TestSetups() {}

    /** {a's output, b's output}. */
    static PairwiseSetupOutput[] pair(SecureRandom rng, byte[] setupId, int a, int b) throws DklsAbort {
        var a1 = PairSetup.start(setupId, a, b, rng);
        var b1 = PairSetup.start(setupId, b, a, rng);
        var a2 = PairSetup.round2(a1.state(), b1.message(), rng);
        var b2 = PairSetup.round2(b1.state(), a1.message(), rng);
        var a3 = PairSetup.round3(a2.state(), b2.message());
        var b3 = PairSetup.round3(b2.state(), a2.message());
        var a4 = PairSetup.round4(a3.state(), b3.message());
        var b4 = PairSetup.round4(b3.state(), a3.message());
        var a5 = PairSetup.round5(a4.state(), b4.message());
        var b5 = PairSetup.round5(b4.state(), a4.message());
        return new PairwiseSetupOutput[] {PairSetup.finish(a5.state(), b5.message()),
            PairSetup.finish(b5.state(), a5.message())};
    }
}
