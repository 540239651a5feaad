/**
 * Signing in the party, FROST (SIGNING.md, "FROST in the parties") and DKLs23 ("DKLs23 for ECDSA"), on the session
 * runtime the DKG uses:
 * {@link io.keyfed.party.signing.SignSessionManager} (Sign and Deliver), the ledger confirmation
 * ({@link io.keyfed.party.signing.SignConfirmations}), one request's session
 * ({@link io.keyfed.party.signing.SigningSession}, protocol-neutral) and its messages
 * ({@link io.keyfed.party.signing.FrostProtocol} or {@link io.keyfed.party.signing.DklsProtocol}, one
 * {@link io.keyfed.party.signing.AttemptProtocol} each), over the pure
 * attempt rules of {@link io.keyfed.party.signing.SigningAttempts} (rotating coordinator, ROAST exclusion,
 * attempt deadline, give-up, signer set), which do no I/O and take the time as an argument.
 */
package io.keyfed.party.signing;
