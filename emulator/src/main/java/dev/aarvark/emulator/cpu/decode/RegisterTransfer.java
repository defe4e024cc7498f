package dev.aarvark.emulator.cpu.decode;

/**
 * What a single-register load/store moves, from the {@code size[31:30]}, {@code V[26]} and
 * {@code opc[23:22]} fields shared by every "load/store register" class in Arm ARM C4.1 "Loads and
 * Stores" (unscaled, post-index, unprivileged, pre-index, register offset, unsigned immediate).
 *
 * <p>General-purpose: opc 00 store, 01 load, 10 sign-extending load to X (size 11: PRFM), 11
 * sign-extending load to W (size 00 and 01 only). SIMD&amp;FP: the access is 1 &lt;&lt;
 * (opc[1]:size) bytes with opc[0] the load bit, so B/H/S/D use opc 0x and Q is size 00 opc 1x.
 *
 * @param load     reads memory (false for stores and prefetches)
 * @param prefetch PRFM / PRFUM
 * @param signed   sign-extending load (LDRSB, LDRSH, LDRSW)
 * @param scale    log2 of the access size in bytes
 * @param simd     transfers a SIMD&amp;FP register
 */
record RegisterTransfer(boolean load, boolean prefetch, boolean signed, int scale, boolean simd) {
    private static final String[] SIZE_SUFFIX = {"b", "h", "w", ""};

    /** The transfer encoded by size, V and opc, or null when the combination is unallocated. */
    static RegisterTransfer of(int size, boolean simd, int opc) {
        if (simd) {
            int scale = ((opc >> 1) << 2) | size;
            return scale > 4 ? null : new RegisterTransfer((opc & 1) != 0, false, false, scale, true);
        }
        return switch (opc) {
            case 0 -> new RegisterTransfer(false, false, false, size, false);
            case 1 -> new RegisterTransfer(true, false, false, size, false);
            case 2 -> size == 3
                    ? new RegisterTransfer(false, true, false, 3, false)
                    : new RegisterTransfer(true, false, true, size, false);
            default -> size <= 1 ? new RegisterTransfer(true, false, true, size, false) : null;
        };
    }

    int bytes() {
        return 1 << scale;
    }

    /**
     * The assembler mnemonic for this transfer in one addressing class.
     *
     * @param infix "r" for the scaled, indexed and register forms ("ldr"), "ur" for unscaled
     *              ("ldur"), "tr" for unprivileged ("ldtr")
     */
    String mnemonic(String infix) {
        if (prefetch) {
            return infix.equals("ur") ? "prfum" : "prfm";
        }
        String base = (load ? "ld" : "st") + infix + (signed ? "s" : "");
        if (simd) {
            return base;
        }
        String suffix = SIZE_SUFFIX[scale];
        return signed || scale < 2 ? base + suffix : base;
    }

    /** Builds the access at {@code address}. */
    AccessBuilder at(String infix, long address) {
        if (prefetch) {
            return AccessBuilder.prefetch(mnemonic(infix), address);
        }
        return AccessBuilder.transfer(load, mnemonic(infix), address, bytes()).simd(simd);
    }
}
