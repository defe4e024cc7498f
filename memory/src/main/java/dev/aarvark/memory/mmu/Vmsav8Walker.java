package dev.aarvark.memory.mmu;

import dev.aarvark.memory.PhysicalAccessException;
import dev.aarvark.memory.PhysicalMemory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The VMSAv8-64 stage-1 translation table walker for the EL1&amp;0 regime of an Armv8.0-A CPU (Arm ARM
 * DDI 0487, chapter D5 "The AArch64 Virtual Memory System Architecture", and the
 * AArch64.TranslationTableWalk() / AArch64.CheckS1Permission() pseudocode; chapter D8 in later issues).
 *
 * <p>Stateless, thread-safe and side-effect free: it reads descriptors through the {@link PhysicalMemory}
 * it is given and never writes them (Armv8.0 has no hardware Access flag or dirty state management), and
 * it caches nothing, so each call sees the tables as they are now. There is no TLB: a guest that changes
 * a table without TLB maintenance may see a different result from the CPU, which may still hold the old
 * entry.
 *
 * <p>Checks, in the architecture's priority order (D5 "Prioritization of Synchronous aborts from a
 * single stage of address translation"):
 * <ol>
 * <li>Stage 1 disabled (SCTLR_EL1.M == 0): PA = VA for a VA whose bits from AddrTop down to PAMax are
 * zero, else an address size fault at level 0 (D5 "The effects of disabling address translation stages
 * on VMSAv8-64 behavior").</li>
 * <li>VA range: bit 55 selects TTBR1 or TTBR0, and the bits from AddrTop (55 with TBI, else 63) down to
 * 64 - TxSZ must all equal bit 55; then EPDx; each failure is a translation fault at level 0.</li>
 * <li>TTBR BADDR above the output size: address size fault at level 0.</li>
 * <li>At each level: descriptor read fails - external abort on the walk; invalid descriptor, level-3
 * descriptor 0b01, or a block at a level with no blocks - translation fault; next-table or output address
 * above the output size - address size fault.</li>
 * <li>AF == 0: Access flag fault at the leaf level.</li>
 * <li>Permissions (AP with APTable, UXN/PXN with UXNTable/PXNTable, WXN, and privileged execute-never for
 * EL0-writable memory): permission fault at the leaf level.</li>
 * </ol>
 *
 * <p>Choices where the Arm ARM allows several (see also {@link TranslationGranule} and {@link VaRange}):
 * TxSZ outside 16..39 is clamped; reserved TG0/TG1 values select 64 KB/4 KB; TTBR BADDR bits below the
 * start table's alignment are treated as zero (as the walk pseudocode does); the Contiguous bit is a TLB
 * hint and is ignored, so a misprogrammed contiguous range never faults here.
 */
public final class Vmsav8Walker {
    /** MAIR-style attribute byte of Device-nGnRnE memory: data accesses with stage 1 disabled. */
    static final int DEVICE_NGNRNE = 0x00;
    /** Normal, Inner and Outer Write-Through Read-Allocate: instruction fetches with stage 1 disabled and SCTLR.I = 1. */
    static final int NORMAL_WRITE_THROUGH = 0xaa;
    /** Normal, Inner and Outer Non-cacheable: instruction fetches with stage 1 disabled and SCTLR.I = 0. */
    static final int NORMAL_NON_CACHEABLE = 0x44;

    /**
     * Walks the tables for one access.
     *
     * @param va           the virtual address, tag bits included
     * @param kind         read, write or instruction fetch
     * @param unprivileged check EL0 rights (code at EL0, or LDTR/STTR-family instructions at EL1);
     *                     otherwise EL1 rights
     * @param regime       the EL1&amp;0 registers at the time of the access
     * @param mem          guest physical memory holding the tables
     * @return the translation, or the fault the access takes
     */
    public WalkResult walk(long va, AccessKind kind, boolean unprivileged, TranslationRegime regime,
                           PhysicalMemory mem) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(regime, "regime");
        Objects.requireNonNull(mem, "mem");
        if (!regime.mmuEnabled()) {
            return untranslated(va, kind, unprivileged, regime);
        }
        VaRange range = VaRange.select(va, regime);
        if (!range.contains(va) || range.walksDisabled()) {
            return new TranslationFault(FaultKind.TRANSLATION, 0, va, kind, unprivileged,
                    TranslationFault.NO_DESCRIPTOR, 0);
        }
        int outputBits = regime.outputAddressBits();
        // TTBR bits 63:48 hold the ASID (whichever of TTBR0/TTBR1 TCR_EL1.A1 names); they never form part
        // of the base address.
        long baseRegister = range.ttbr() & Bits.mask(Descriptor.ADDRESS_TOP, 0);
        if ((baseRegister & Bits.mask(Descriptor.ADDRESS_TOP, outputBits)) != 0) {
            return new TranslationFault(FaultKind.ADDRESS_SIZE, 0, va, kind, unprivileged,
                    TranslationFault.NO_DESCRIPTOR, 0);
        }
        TranslationGranule granule = range.granule();
        int level = granule.startLevel(range.inputBits());
        int indexBits = granule.indexBits(level, range.inputBits());
        // The start table is aligned to its own size (8 bytes per entry); lower BADDR bits are RES0 and,
        // as in the walk pseudocode, treated as zero.
        long table = baseRegister & Bits.mask(Descriptor.ADDRESS_TOP, indexBits + 3);
        TableAttributes inherited = TableAttributes.NONE;
        while (true) {
            long index = (va >>> granule.levelShift(level)) & ((1L << indexBits) - 1);
            long descriptorAddress = table + (index << 3);
            long descriptor;
            try {
                descriptor = readDescriptor(mem, descriptorAddress, regime.bigEndianTableWalks());
            } catch (PhysicalAccessException e) {
                return new TranslationFault(FaultKind.EXTERNAL_ABORT_ON_WALK, level, va, kind, unprivileged,
                        descriptorAddress, 0);
            }
            if ((descriptor & Descriptor.VALID) == 0) {
                return fault(FaultKind.TRANSLATION, level, va, kind, unprivileged, descriptorAddress, descriptor);
            }
            boolean tableOrPage = (descriptor & Descriptor.TABLE_OR_PAGE) != 0;
            if (level < 3 && tableOrPage) {
                if ((descriptor & Bits.mask(Descriptor.ADDRESS_TOP, outputBits)) != 0) {
                    return fault(FaultKind.ADDRESS_SIZE, level, va, kind, unprivileged, descriptorAddress, descriptor);
                }
                inherited = inherited.with(descriptor);
                table = descriptor & Bits.mask(Descriptor.ADDRESS_TOP, granule.pageShift());
                level++;
                indexBits = granule.stride();
                continue;
            }
            // Level 3 with bits[1:0] == 0b01 is the reserved encoding; a block where the granule has none
            // (4 KB level 0; 16 KB and 64 KB levels 0-1 without FEAT_LPA/LPA2) is a translation fault too.
            if (!tableOrPage && (level == 3 || !granule.blockAllowedAt(level))) {
                return fault(FaultKind.TRANSLATION, level, va, kind, unprivileged, descriptorAddress, descriptor);
            }
            return leaf(va, kind, unprivileged, regime, granule, level, inherited, descriptorAddress, descriptor,
                    outputBits);
        }
    }

    /**
     * Translates {@code length} bytes from {@code va}, checking every byte's mapping for {@code kind},
     * and returns the physical pieces in VA order, merging neighbours that are contiguous in both VA and
     * PA. Costs one walk per leaf mapping the range touches.
     *
     * @throws TranslationFaultException at the first address of the range that faults
     * @throws IllegalArgumentException  if {@code length} is not positive or the range wraps past 2^64
     */
    public List<PhysicalSpan> translateRange(long va, long length, AccessKind kind, boolean unprivileged,
                                             TranslationRegime regime, PhysicalMemory mem)
            throws TranslationFaultException {
        if (length <= 0) {
            throw new IllegalArgumentException("range length " + length + " is not positive");
        }
        if (Long.compareUnsigned(va + (length - 1), va) < 0) {
            throw new IllegalArgumentException("range at " + Bits.hex(va) + " of " + Bits.hex(length)
                    + " bytes wraps past the top of the address space");
        }
        List<PhysicalSpan> spans = new ArrayList<>();
        long cursor = va;
        long remaining = length;
        while (remaining > 0) {
            WalkResult result = walk(cursor, kind, unprivileged, regime, mem);
            if (result instanceof TranslationFault fault) {
                throw new TranslationFaultException(fault);
            }
            Translation t = (Translation) result;
            long rest = t.size() - (cursor & (t.size() - 1));
            long piece = Math.min(rest, remaining);
            PhysicalSpan last = spans.isEmpty() ? null : spans.getLast();
            if (last != null && last.va() + last.length() == cursor && last.pa() + last.length() == t.pa()) {
                spans.set(spans.size() - 1, new PhysicalSpan(last.va(), last.pa(), last.length() + piece));
            } else {
                spans.add(new PhysicalSpan(cursor, t.pa(), piece));
            }
            cursor += piece;
            remaining -= piece;
        }
        return spans;
    }

    private static WalkResult untranslated(long va, AccessKind kind, boolean unprivileged, TranslationRegime regime) {
        int top = VaRange.addressTop(va, regime.tcr());
        if ((va & Bits.mask(top, regime.paBits())) != 0) {
            return new TranslationFault(FaultKind.ADDRESS_SIZE, 0, va, kind, unprivileged,
                    TranslationFault.NO_DESCRIPTOR, 0);
        }
        long size = 1L << regime.paBits();
        long pa = va & (size - 1); // the tag (bits 63:56 under TBI) is not part of the physical address
        // Data accesses are Device-nGnRnE; instruction fetches are Normal, Write-Through when SCTLR_EL1.I
        // is set and Non-cacheable otherwise (HCR_EL2.DC, which would make both Normal Write-Back, is not
        // modelled: the guest runs at EL1 and HCR_EL2.DC stays 0).
        int memAttr = kind != AccessKind.FETCH ? DEVICE_NGNRNE
                : regime.instructionCacheEnabled() ? NORMAL_WRITE_THROUGH : NORMAL_NON_CACHEABLE;
        return new Translation(va, pa, Translation.UNTRANSLATED, size, memAttr, Permissions.ALL, false, Translation.NO_DESCRIPTOR, 0);
    }

    private static WalkResult leaf(long va, AccessKind kind, boolean unprivileged, TranslationRegime regime,
                                   TranslationGranule granule, int level, TableAttributes inherited,
                                   long descriptorAddress, long descriptor, int outputBits) {
        if ((descriptor & Bits.mask(Descriptor.ADDRESS_TOP, outputBits)) != 0) {
            return fault(FaultKind.ADDRESS_SIZE, level, va, kind, unprivileged, descriptorAddress, descriptor);
        }
        if ((descriptor & Descriptor.ACCESS_FLAG) == 0) {
            return fault(FaultKind.ACCESS_FLAG, level, va, kind, unprivileged, descriptorAddress, descriptor);
        }
        Permissions permissions = Permissions.stage1(
                (descriptor & Descriptor.AP2_READ_ONLY) != 0 || inherited.readOnly(),
                (descriptor & Descriptor.AP1_EL0_ACCESS) != 0 && !inherited.noEl0Access(),
                (descriptor & Descriptor.UXN) != 0 || inherited.unprivilegedExecuteNever(),
                (descriptor & Descriptor.PXN) != 0 || inherited.privilegedExecuteNever(),
                regime.writeImpliesExecuteNever());
        if (!permissions.allows(kind, unprivileged)) {
            return fault(FaultKind.PERMISSION, level, va, kind, unprivileged, descriptorAddress, descriptor);
        }
        int shift = granule.levelShift(level);
        long size = 1L << shift;
        // Output address = descriptor bits[47:shift] : VA bits[shift-1:0]. In a block descriptor the bits
        // between the page offset and the block offset are RES0 and ignored.
        long pa = (descriptor & Bits.mask(Descriptor.ADDRESS_TOP, shift)) | (va & (size - 1));
        int attrIndx = Bits.field(descriptor, Descriptor.ATTR_INDX_SHIFT, 3);
        int memAttr = Bits.field(regime.mair(), 8 * attrIndx, 8);
        return new Translation(va, pa, level, size, memAttr, permissions,
                (descriptor & Descriptor.NOT_GLOBAL) != 0, descriptorAddress, descriptor);
    }

    private static TranslationFault fault(FaultKind kind, int level, long va, AccessKind access, boolean unprivileged,
                                          long descriptorAddress, long descriptor) {
        return new TranslationFault(kind, level, va, access, unprivileged, descriptorAddress, descriptor);
    }

    /** One descriptor, in the endianness SCTLR_EL1.EE gives stage-1 walks. */
    private static long readDescriptor(PhysicalMemory mem, long pa, boolean bigEndian) {
        long raw = mem.readLong(pa);
        return bigEndian ? Long.reverseBytes(raw) : raw;
    }
}
