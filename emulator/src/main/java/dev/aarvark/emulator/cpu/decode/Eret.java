package dev.aarvark.emulator.cpu.decode;

/**
 * An exception return: ERET ({@code 0xD69F03E0}), or with FEAT_PAuth ERETAA ({@code 0xD69F0BFF})
 * and ERETAB ({@code 0xD69F0FFF}), Arm ARM C4.1 "Unconditional branch (register)".
 *
 * @param pointerAuth authenticates ELR with a key before returning
 * @param keyB        the key is B (ERETAB); meaningless when {@code pointerAuth} is false
 */
public record Eret(boolean pointerAuth, boolean keyB) implements SystemInsn {
}
