package io.keyfed.e2e.cheat;

import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

/**
 * A Java agent that makes the party process it is loaded into a cheat in FROST signing, with no switch in the
 * party's own code: every signature share it sends (envelope kind 18, SHARE) leaves with one bit of its last
 * scalar z flipped (the low byte of a little-endian scalar: still canonical, now wrong), and it sends no
 * signature result (kind 19, RESULT), so that no honest party takes its result before checking the shares. Every
 * message goes through {@code io.keyfed.party.session.SessionOutbox.send(String to, int kind, byte[] payload)};
 * the advice below is inlined there. It prints a {@code keyfed-test-agent:} line to standard error for each thing
 * it does, so that a test can see in the party's log that the fault really happened. Built into a jar at run time
 * by {@link AgentJar}; test code only.
 */
public final class CorruptSharesAgent {
    /** The line prefix of everything this agent prints. */
    public static final String TAG = "keyfed-test-agent: ";
    static final String OUTBOX = "io.keyfed.party.session.SessionOutbox";

    private CorruptSharesAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(new Report())
                .type(ElementMatchers.named(OUTBOX))
                .transform(CorruptSharesAgent::adviseSend)
                .installOn(inst);
        System.err.println(TAG + "installed, waiting for " + OUTBOX);
    }

    private static DynamicType.Builder<?> adviseSend(DynamicType.Builder<?> builder, TypeDescription type,
            ClassLoader loader, JavaModule module, ProtectionDomain domain) {
        return builder.visit(Advice.to(CorruptShares.class).on(ElementMatchers.named("send")
                .and(ElementMatchers.takesArguments(String.class, int.class, byte[].class))));
    }

    /** Inlined into SessionOutbox.send: JDK types only, no call back into this class. */
    static final class CorruptShares {
        private CorruptShares() {
        }

        /** Returns true (the send is skipped) for a RESULT; replaces a SHARE's payload by a corrupted copy. */
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean enter(@Advice.Argument(0) String to, @Advice.Argument(1) int kind,
                @Advice.Argument(value = 2, readOnly = false) byte[] payload) {
            if (kind == 18) {
                byte[] bad = java.util.Arrays.copyOf(payload, payload.length);
                bad[bad.length - 32] ^= 1;
                payload = bad;
                System.err.println("keyfed-test-agent: corrupted a signature share to ".concat(to));
                return false;
            }
            if (kind == 19) {
                System.err.println("keyfed-test-agent: withheld a signature result from ".concat(to));
                return true;
            }
            return false;
        }
    }

    /** Says in the party's log whether SessionOutbox was instrumented, or why not. */
    private static final class Report extends AgentBuilder.Listener.Adapter {
        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                DynamicType dynamicType) {
            System.err.println(TAG + "instrumented " + type.getName());
        }

        @Override
        public void onError(String name, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            System.err.println(TAG + "could not instrument " + name + ": " + error);
        }
    }
}
