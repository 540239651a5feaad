package io.keyfed.party.dkg.curve;

/**
 * An element of a curve's prime-order group, opaque to callers. Instances come only from a {@link Curve}
 * (arithmetic or validated decoding), so every instance is on the curve and in the prime-order subgroup.
 * Equality compares the group element, not the representation.
 */
public interface GroupElement {
    /** The curve this element belongs to. */
    CurveId curveId();
}
