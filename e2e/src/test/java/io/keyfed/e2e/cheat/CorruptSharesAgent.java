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
 *
 * <p>With the agent argument {@value #DKLS_MULTIPLICATION} ({@code -javaagent:JAR=dkls23-multiplication}) it cheats
 * in DKLs23 signing instead: every ROUND2 it sends (envelope kind 23) leaves with one bit of the first message's μ
 * flipped, the multiplication's check value (payload: u32 attempt | 32 sid | u16 m | u32 len | τ | 32 η' | 32 μ | ...),
 * which the receiving signer's multiplication check must catch; nothing else is changed.
 */
public final class CorruptSharesAgent {
    /** The line prefix of everything this agent prints. */
    public static final String TAG = "keyfed-test-agent: ";
    static final String OUTBOX = "io.keyfed.party.session.SessionOutbox";
    /** The agent argument that selects the DKLs23 multiplication cheat. */
    public static final String DKLS_MULTIPLICATION = "dkls23-multiplication";

    private CorruptSharesAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        boolean dkls = DKLS_MULTIPLICATION.equals(args);
        new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(new Report())
                .type(ElementMatchers.named(OUTBOX))
                .transform(dkls ? CorruptSharesAgent::adviseDklsSend : CorruptSharesAgent::adviseSend)
                .installOn(inst);
        System.err.println(TAG + "installed" + (dkls ? " (" + DKLS_MULTIPLICATION + ")" : "") + ", waiting for "
                + OUTBOX);
    }

    private static DynamicType.Builder<?> adviseSend(DynamicType.Builder<?> builder, TypeDescription type,
            ClassLoader loader, JavaModule module, ProtectionDomain domain) {
        return builder.visit(Advice.to(CorruptShares.class).on(ElementMatchers.named("send")
                .and(ElementMatchers.takesArguments(String.class, int.class, byte[].class))));
    }

    private static DynamicType.Builder<?> adviseDklsSend(DynamicType.Builder<?> builder, TypeDescription type,
            ClassLoader loader, JavaModule module, ProtectionDomain domain) {
        return builder.visit(Advice.to(CorruptMultiplication.class).on(ElementMatchers.named("send")
                .and(ElementMatchers.takesArguments(String.class, int.class, byte[].class))));
    }

    /** Inlined into SessionOutbox.send: JDK types only, no call back into this class. */
    static final class CorruptMultiplication {
        private CorruptMultiplication() {
        }

        /** Replaces a DKLs23 ROUND2's payload by a copy with one bit of the first message's μ flipped. */
        @Advice.OnMethodEnter
        static void enter(@Advice.Argument(0) String to, @Advice.Argument(1) int kind,
                @Advice.Argument(value = 2, readOnly = false) byte[] payload) {
            if (kind != 23 || payload.length < 42) {
                return;
            }
            int tau = java.nio.ByteBuffer.wrap(payload, 38, 4).getInt();
            int mu = 42 + tau + 32;
            if (tau < 0 || mu + 32 > payload.length) {
                System.err.println("keyfed-test-agent: a ROUND2 to ".concat(to).concat(" has no μ where expected"));
                return;
            }
            byte[] bad = java.util.Arrays.copyOf(payload, payload.length);
            bad[mu] ^= 1;
            payload = bad;
            System.err.println("keyfed-test-agent: corrupted a multiplication message (ROUND2) to ".concat(to));
        }
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
