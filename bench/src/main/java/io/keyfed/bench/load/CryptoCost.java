package io.keyfed.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code crypto_ms_per_key}: the cost of a request's cryptography alone, from single-threaded JMH results on the
 * same machine (issue 17). For a key request it is the whole in-memory DKG of the curve, threshold and party
 * count ({@code DkgFederationBenchmark.federation}); for a sign request, the signing session
 * ({@code FrostSigningBenchmark.session} for ed25519 and taproot keys, {@code DklsBenchmark.signSession} for ecdsa
 * and bitcoin keys) once per message. To that it adds each in-token operation the parties perform per request,
 * times its {@code HsmBenchmark} time. The counts, per request, for t-of-n (read from party/service):
 * <ul>
 *   <li>key: every one of the n parties signs its round-1 package ({@code KeygenSession.ready}), its share
 *       statement ({@code ShareExchange.seal}; not when n = 1, which sends no share) and its answer
 *       ({@code PartyAnswers.sign}) with {@code signIdentity}, and seals its share ({@code SessionOutcomeWriter
 *       .storePending}) with {@code seal}: n × 3 {@code signIdentity} (n × 2 when n = 1) and n {@code seal};</li>
 *   <li>sign: every one of the n parties of the snapshot unseals its share ({@code SignSessionManager.start}) and
 *       signs its answer ({@code SignAnswers}): n {@code unseal} and n {@code signIdentity}; with DKLs23 each of
 *       the t signers also unseals its stored pairwise setup with each of the other t − 1
 *       ({@code PairRun.reuse}, through {@code DklsProtocol.ensureSetups}): t × (t − 1) more {@code unseal}.</li>
 * </ul>
 * The pairwise channel keys' in-token ECDH is made once per peer and cached ({@code ChannelKeys}), so it is not
 * per request.
 */
final class CryptoCost {
    static final String DKG = "DkgFederationBenchmark.federation";
    static final String FROST = "FrostSigningBenchmark.session";
    static final String DKLS = "DklsBenchmark.signSession";
    static final String SIGN_IDENTITY = "HsmBenchmark.signIdentity";
    static final String SEAL = "HsmBenchmark.seal";
    static final String UNSEAL = "HsmBenchmark.unseal";

    /** What one request of the run is: a key request, or a sign request of {@code messages} messages. */
    record Flow(boolean sign, String type, int threshold, int parties, int messages) {
        Flow {
            if (threshold < 1 || threshold > parties) {
                throw new IllegalArgumentException("need 1 <= threshold <= parties, got " + threshold + "-of-"
                        + parties);
            }
            if (sign && messages < 1) {
                throw new IllegalArgumentException("a sign request has at least one message");
            }
            curve(type); // refuses an unknown type
        }

        /** {@code <t>of<n>}, the benchmarks' {@code tn} parameter. */
        String tn() {
            return threshold + "of" + parties;
        }
    }

    /** {@code count} runs of one benchmark (with these parameters) per request. */
    record Term(String benchmark, Map<String, String> params, int count) {
    }

    /** A term with its measured time per operation. */
    record Line(Term term, double msEach, double errorMs) {
        double ms() {
            return term.count() * msEach;
        }
    }

    /** The cryptography of one request: the sum of the lines. */
    record Cost(double msPerKey, List<Line> lines) {
    }

    private CryptoCost() {
    }

    /** The DKG's curve for a key type: secp256k1 for ecdsa, bitcoin and taproot, ed25519 for ed25519. */
    static String curve(String type) {
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "ecdsa", "bitcoin", "btc", "taproot", "bitcoin-taproot" -> "secp256k1";
            case "ed25519", "eddsa" -> "ed25519";
            default -> throw new IllegalArgumentException("unknown key type '" + type + "'");
        };
    }

    /** The terms of one request of {@code f}, in the order they are reported. */
    static List<Term> terms(Flow f) {
        int t = f.threshold();
        int n = f.parties();
        List<Term> out = new ArrayList<>();
        if (!f.sign()) {
            out.add(new Term(DKG, Map.of("curve", curve(f.type()), "tn", f.tn()), 1));
            out.add(new Term(SIGN_IDENTITY, Map.of(), n * (n > 1 ? 3 : 2)));
            out.add(new Term(SEAL, Map.of(), n));
            return out;
        }
        String signable = SignLoad.signableType(f.type());
        boolean ecdsa = signable.equals("ecdsa") || signable.equals("bitcoin");
        if (ecdsa) {
            out.add(new Term(DKLS, Map.of("tn", f.tn()), f.messages()));
        } else {
            out.add(new Term(FROST, Map.of("ciphersuite", signable, "tn", f.tn()), f.messages()));
        }
        out.add(new Term(UNSEAL, Map.of(), n + (ecdsa ? t * (t - 1) : 0)));
        out.add(new Term(SIGN_IDENTITY, Map.of(), n));
        return out;
    }

    /**
     * The cryptography of one request of {@code f}, from {@code jmh}.
     *
     * @throws IllegalArgumentException when a term has no result, or its result is not single-threaded
     */
    static Cost compute(Flow f, JmhResults jmh) {
        List<Line> lines = new ArrayList<>();
        double total = 0;
        for (Term term : terms(f)) {
            JmhResults.Result r = jmh.find(term.benchmark(), term.params());
            if (r.threads() != 1) {
                throw new IllegalArgumentException(term.benchmark() + " ran on " + r.threads()
                        + " threads; crypto_ms_per_key needs single-threaded results");
            }
            Line line = new Line(term, r.ms(), r.errorMs());
            lines.add(line);
            total += line.ms();
        }
        return new Cost(total, lines);
    }

    /** cores ÷ crypto_ms_per_key, in keys (or requests) per second. */
    static double floorKeysPerS(int cores, double cryptoMsPerKey) {
        return cores * 1000.0 / cryptoMsPerKey;
    }

    /** cpu_ms_per_key_deployment ÷ crypto_ms_per_key. */
    static double overheadRatio(double deploymentMsPerKey, double cryptoMsPerKey) {
        return deploymentMsPerKey / cryptoMsPerKey;
    }

    /** The lines under "crypto" in the report: source, and each term with its count and times. */
    static void describe(ObjectNode crypto, Cost cost, String source) {
        crypto.put("source", source);
        var terms = crypto.putArray("terms");
        for (Line l : cost.lines()) {
            ObjectNode t = terms.addObject();
            t.put("benchmark", l.term().benchmark());
            ObjectNode p = t.putObject("params");
            l.term().params().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> p.put(e.getKey(), e.getValue()));
            t.put("count", l.term().count());
            t.put("ms_each", round(l.msEach(), 4));
            t.put("ms_error", Double.isNaN(l.errorMs()) ? null : round(l.errorMs(), 4));
            t.put("ms", round(l.ms(), 4));
        }
    }

    /** "DkgFederationBenchmark.federation 2.88 + 9 × HsmBenchmark.signIdentity 0.53 + ..." (ms). */
    static String formula(Cost cost) {
        StringBuilder s = new StringBuilder();
        for (Line l : cost.lines()) {
            if (s.length() > 0) {
                s.append(" + ");
            }
            if (l.term().count() != 1) {
                s.append(l.term().count()).append(" x ");
            }
            s.append(l.term().benchmark()).append(' ').append(String.format(Locale.ROOT, "%.3f", l.msEach()));
        }
        return s.toString();
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
