/**
 * Pure attempt rules of a FROST signing session: which party coordinates each attempt, who is excluded, when
 * an attempt is given up, when the whole request is given up, and which signer set a coordinator picks from
 * the commitments it has (SIGNING.md, "A rotating coordinator (a light form of ROAST)").
 *
 * <p>Nothing here does I/O or reads a clock: time is passed in as epoch milliseconds, and every transition
 * returns a new immutable state. Nothing else in the party service uses this package yet; the signing
 * session runtime will wire it later.
 */
package io.keyfed.party.signing;
