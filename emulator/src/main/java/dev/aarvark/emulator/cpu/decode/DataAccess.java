package dev.aarvark.emulator.cpu.decode;

import java.util.Objects;

/**
 * The memory access one A64 instruction makes, as needed to build the syndrome of a data abort
 * (ESR_ELx ISS for "Exception from a Data Abort": WnR, CM) and FAR_ELx.
 *
 * <p>Invariants:
 * <ul>
 *   <li>{@code address} is the virtual address the architecture reports in FAR for a fault on the
 *       first byte: the effective address before any writeback (post-index reports the base,
 *       pre-index base + offset). For DC instructions it is the Xt operand exactly as given (FAR_ELx:
 *       "If a memory fault that sets FAR_ELx [...] is generated from a data cache maintenance or
 *       other DC instruction, this field holds the address specified in the register argument").</li>
 *   <li>{@code accessStart} is the lowest virtual address the instruction touches and
 *       [{@code accessStart}, {@code accessStart + size}) covers every byte of it. It differs from
 *       {@code address} only for {@code DC ZVA}, which writes the naturally aligned block holding
 *       Xt. An access that crosses a page boundary may fault on its second page only; the CPU core
 *       then reports the first byte of the faulting page, which lies inside this range.</li>
 *   <li>{@code size} is the total number of bytes (pairs: both registers; SIMD structures: every
 *       register or element transferred). It is 0 only for a prefetch, which accesses nothing and
 *       never faults.</li>
 *   <li>{@code alignment} (a power of two) is the alignment the architecture requires whatever
 *       SCTLR_ELx.A says: the access size for exclusives, load-acquire/store-release and LSE
 *       atomics, the total size for exclusive pairs and CASP, 64 for LD64B/ST64B; 1 otherwise
 *       (Arm ARM pseudocode AArch64.CheckAlignment: {@code check = atomic || ordered} when SCTLR.A
 *       is 0 and FEAT_LSE2 is absent, as on Cortex-A53/A57/A72).</li>
 *   <li>A cache maintenance instruction or a prefetch neither reads nor writes data.</li>
 * </ul>
 *
 * @param mnemonic       a short lower-case name for diagnostics ("ldr", "stp", "ld4", "dc zva")
 * @param address        the FAR value for a fault on the first byte
 * @param accessStart    the lowest byte accessed
 * @param size           total bytes accessed, 0 for a prefetch
 * @param read           the instruction reads data memory
 * @param write          the instruction writes data memory (DC ZVA included)
 * @param alignment      architecturally required alignment in bytes, independent of SCTLR_ELx.A
 * @param cacheMaintenance a DC (other than ZVA) or IC instruction by VA: the ISS CM bit
 * @param exclusive      a load-exclusive or store-exclusive (LDXR, STLXP...)
 * @param acquireRelease has acquire, acquire-PC, LORegion or release ordering
 * @param atomic         an LSE read-modify-write (LD&lt;op&gt;, ST&lt;op&gt;, SWP, CAS, CASP)
 * @param unprivileged   LDTR/STTR family: permission-checked as if at EL0
 * @param simd           transfers SIMD&amp;FP registers
 * @param prefetch       PRFM/PRFUM: a hint that never faults
 */
public record DataAccess(
        String mnemonic,
        long address,
        long accessStart,
        int size,
        boolean read,
        boolean write,
        int alignment,
        boolean cacheMaintenance,
        boolean exclusive,
        boolean acquireRelease,
        boolean atomic,
        boolean unprivileged,
        boolean simd,
        boolean prefetch) {

    public DataAccess {
        Objects.requireNonNull(mnemonic, "mnemonic");
        if (size < 0 || (size == 0) != prefetch) {
            throw new IllegalArgumentException(mnemonic + ": size " + size + " (0 exactly for a prefetch)");
        }
        if (alignment < 1 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException(mnemonic + ": alignment " + alignment + " is not a power of two");
        }
        if ((cacheMaintenance || prefetch) && (read || write)) {
            throw new IllegalArgumentException(mnemonic + ": cache maintenance and prefetch move no data");
        }
        if (!cacheMaintenance && !prefetch && !read && !write) {
            throw new IllegalArgumentException(mnemonic + ": an access must read or write");
        }
        if (Long.compareUnsigned(address - accessStart, Math.max(size, 1)) >= 0) {
            throw new IllegalArgumentException(mnemonic + ": FAR address outside the accessed range");
        }
    }

    /**
     * The ISS WnR bit for a fault on this access, when the caller knows whether a read would fault.
     *
     * <p>Arm ARM, ESR_ELx ISS encoding for an exception from a Data Abort, WnR bit [6]: 1 for an
     * instruction writing memory, 0 for one reading it; "For faults on cache maintenance and address
     * translation instructions, this bit always returns a value of 1"; "For faults from an atomic
     * instruction that both reads and writes from a memory location, this bit is set to 0 if a read
     * of the address specified by the instruction would have generated the fault which is being
     * reported, otherwise it is set to 1." DC ZVA is a write (CM = 0, WnR = 1).
     *
     * @param readWouldFault whether a plain read of the address would raise the same fault; only
     *                       consulted for read-modify-write atomics
     */
    public boolean wnr(boolean readWouldFault) {
        if (cacheMaintenance) {
            return true;
        }
        if (read && write) {
            return !readWouldFault;
        }
        return write;
    }

    /**
     * The ISS WnR bit when the caller does not know whether a read would fault: as {@link
     * #wnr(boolean)} with {@code readWouldFault = false}. That is exact for every instruction but
     * read-modify-write atomics, and for those it is exact for a permission fault on a readable page
     * (the copy-on-write case); for a fault a read would also take (translation, access flag) the
     * architecture says 0, and this reports 1, as QEMU does. Reporting 0 for a permission fault on a
     * readable page instead would make Linux treat a write fault as a spurious read fault and retry
     * forever, so when in doubt "write" is the safe answer.
     */
    public boolean wnr() {
        return wnr(false);
    }

    /** Whether the address breaks the alignment the architecture requires regardless of SCTLR_ELx.A. */
    public boolean misaligned() {
        return (address & (alignment - 1)) != 0;
    }

    /** Reads and writes the same location in one instruction (LSE atomics). */
    public boolean readModifyWrite() {
        return read && write;
    }
}
