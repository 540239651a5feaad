package io.keyfed.party.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;

import org.junit.jupiter.api.Test;

import io.keyfed.party.dkg.DkgError;

/** Every check the DKG engine can abort on has its own abort counter (not "other"). */
class AbortChecksTest {

    @Test
    void everyDkgErrorCheckIsAKnownAbortCheck() throws Exception {
        Class<?>[] variants = DkgError.class.getPermittedSubclasses();
        assertTrue(variants.length > 0);
        for (Class<?> v : variants) {
            RecordComponent[] parts = v.getRecordComponents();
            Class<?>[] types = new Class<?>[parts.length];
            Object[] args = new Object[parts.length];
            for (int i = 0; i < parts.length; i++) {
                types[i] = parts[i].getType();
                args[i] = types[i] == int.class ? 1 : "x";
            }
            Constructor<?> c = v.getDeclaredConstructor(types);
            DkgError e = (DkgError) c.newInstance(args);
            assertTrue(PartyMetrics.CHECKS.contains(e.check()), v.getSimpleName() + ": " + e.check());
        }
    }
}
