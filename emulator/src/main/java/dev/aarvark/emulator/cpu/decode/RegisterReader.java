package dev.aarvark.emulator.cpu.decode;

/**
 * Read access to the general-purpose registers of the vCPU whose instruction is being decoded.
 *
 * <p>Register number 31 has two meanings in A64 (Arm ARM C1.2.5 "Register names"): as a base
 * register ({@code Rn} of a load or store) it is the current stack pointer, while as a data, index or
 * operand register ({@code Rt}, {@code Rm}, the Xt of {@code DC}/{@code IC}) it is the zero register.
 * Implementations only supply X0..X30 and SP; the decoders apply the right rule per field through
 * {@link #xOrSp(int)} and {@link #xOrZr(int)}.
 */
public interface RegisterReader {
    /**
     * The 64-bit value of Xn.
     *
     * @param n register number, 0..30
     */
    long x(int n);

    /** The stack pointer selected by the current PSTATE.SP and exception level. */
    long sp();

    /** Xn for n in 0..30, SP for n = 31: the rule for base registers. */
    default long xOrSp(int n) {
        return n == 31 ? sp() : x(n);
    }

    /** Xn for n in 0..30, zero (XZR) for n = 31: the rule for data, index and operand registers. */
    default long xOrZr(int n) {
        return n == 31 ? 0L : x(n);
    }
}
