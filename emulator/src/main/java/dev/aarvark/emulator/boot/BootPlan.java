package dev.aarvark.emulator.boot;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of loading a guest into RAM: where the boot CPU starts and with which registers, and
 * where each piece went. The machine applies it at reset: PC = {@link #entryPc}, x0-x3 =
 * {@link #registers}, EL1h with DAIF masked (Linux {@code booting.rst}: "All forms of interrupts
 * must be masked in PSTATE.DAIF"), MMU and caches off.
 *
 * <p>QEMU reaches the same state through a 40-byte stub it writes at the base of RAM (load x0 = DTB,
 * zero x1-x3, branch to the kernel); aarvark sets the registers directly and writes no stub, so the
 * first 4 KiB of RAM stay as they were.
 *
 * @param format    what the kernel file was (after gunzip, {@link KernelFormat#LINUX_IMAGE} or {@link KernelFormat#RAW})
 * @param entryPc   physical address of the first instruction
 * @param registers x0-x3 at entry
 * @param kernel    physical range the kernel occupies (for an Image: load address + {@code image_size},
 *                  BSS included; for an ELF: lowest to highest byte of its PT_LOAD segments)
 * @param initrd    where the initrd went, if one was given
 * @param dtb       where the device tree blob went
 * @param symbols   the ELF's symbols ({@link SymbolTable#EMPTY} for other formats)
 * @param warnings  things worth telling the user that did not stop the boot, one line each
 */
public record BootPlan(KernelFormat format, long entryPc, EntryRegisters registers, PhysicalRange kernel,
                       Optional<PhysicalRange> initrd, PhysicalRange dtb, SymbolTable symbols, List<String> warnings) {
    public BootPlan {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(registers, "registers");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(initrd, "initrd");
        Objects.requireNonNull(dtb, "dtb");
        Objects.requireNonNull(symbols, "symbols");
        warnings = List.copyOf(warnings);
    }

    /** Physical address of the device tree blob (also in x0). */
    public long dtbAddress() {
        return dtb.start();
    }

    @Override
    public String toString() {
        return "BootPlan[" + format + ", entry " + Hex.of(entryPc) + ", " + registers + ", kernel " + kernel
                + ", initrd " + initrd.map(PhysicalRange::toString).orElse("none") + ", dtb " + dtb + ", "
                + symbols.size() + " symbols, " + warnings.size() + " warnings]";
    }
}
