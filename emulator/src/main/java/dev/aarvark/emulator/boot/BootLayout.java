package dev.aarvark.emulator.boot;

import dev.aarvark.memory.GuestRam;

import java.util.List;
import java.util.Optional;

/**
 * Lays a Linux-protocol boot out in RAM and writes it: the kernel at a given address, then the
 * initrd and the DTB where {@link QemuBootPlacement} puts them; plus the initrd and DTB steps the
 * ELF loader shares.
 *
 * <p>Invariants: every piece is checked to lie wholly inside RAM and the DTB to be at most 2 MiB
 * ({@code booting.rst}) before any byte is written, so a failure leaves RAM untouched. The kernel,
 * initrd and DTB never overlap: the initrd starts at or after the kernel's extent and the DTB after
 * the initrd. Only the file's bytes are written; the rest of an Image's {@code image_size} (its BSS)
 * is left for the kernel to clear, as QEMU leaves it.
 */
final class BootLayout {
    private BootLayout() {
    }

    /**
     * Places a kernel whose bytes go to {@code entry} and which occupies {@code extent} bytes from
     * there, then the initrd and DTB; writes all three and returns the plan.
     */
    static BootPlan placeLinux(GuestRam ram, KernelFormat format, BootFile kernel, long entry, long extent,
                               Optional<BootFile> initrd, DtbFactory dtbFactory, List<String> warnings) {
        if (Long.compareUnsigned(extent, ram.size()) > 0) {
            throw kernel.error("kernel occupies " + Hex.of(extent) + " bytes, more than RAM (" + Hex.of(ram.size()) + " bytes)");
        }
        if (!ram.contains(entry, extent)) {
            throw kernel.error("kernel " + Hex.range(entry, entry + extent) + " does not fit in RAM " + ramRange(ram));
        }
        PhysicalRange kernelRange = PhysicalRange.ofSize(entry, extent);
        Optional<PhysicalRange> initrdRange = placeInitrd(ram, initrd, kernelRange.end());
        byte[] dtb = createDtb(dtbFactory, initrdRange);
        long dtbStart = QemuBootPlacement.dtbStartAfter(initrdRange.map(PhysicalRange::end)
                .orElse(QemuBootPlacement.initrdStart(ram.base(), ram.size(), kernelRange.end())));
        PhysicalRange dtbRange = requireDtbRoom(ram, dtbFactory, dtbStart, dtb.length);

        ram.write(entry, kernel.content(), 0, kernel.size());
        writeInitrdAndDtb(ram, initrd, initrdRange, dtb, dtbRange);
        return new BootPlan(format, entry, EntryRegisters.withDtb(dtbRange.start()), kernelRange, initrdRange, dtbRange,
                SymbolTable.EMPTY, warnings);
    }

    /** Where the initrd goes after a kernel ending at {@code kernelEnd}; checked against RAM, not yet written. */
    static Optional<PhysicalRange> placeInitrd(GuestRam ram, Optional<BootFile> initrd, long kernelEnd) {
        if (initrd.isEmpty()) {
            return Optional.empty();
        }
        BootFile f = initrd.get();
        long start = QemuBootPlacement.initrdStart(ram.base(), ram.size(), kernelEnd);
        if (start >= ram.end()) {
            throw f.error("no room after the kernel: the initrd would start at " + Hex.of(start)
                    + ", at or past the end of RAM " + ramRange(ram));
        }
        if (!ram.contains(start, f.size())) {
            throw f.error(Hex.of(f.size()) + " bytes at " + Hex.of(start) + " do not fit in RAM " + ramRange(ram));
        }
        return Optional.of(PhysicalRange.ofSize(start, f.size()));
    }

    /** The DTB for this boot, checked to be at most 2 MiB. */
    static byte[] createDtb(DtbFactory factory, Optional<PhysicalRange> initrd) {
        byte[] dtb = factory.create(initrd);
        if (dtb.length > UserDeviceTree.MAX_DTB_SIZE) {
            throw new BootImageException("dtb", factory.source(), "blob has " + Hex.of(dtb.length)
                    + " bytes; a DTB must not exceed 2 MiB (booting.rst)");
        }
        return dtb;
    }

    /** The DTB's range at {@code start}, checked to lie in RAM. */
    static PhysicalRange requireDtbRoom(GuestRam ram, DtbFactory factory, long start, int size) {
        if (!ram.contains(start, size)) {
            throw new BootImageException("dtb", factory.source(), "no room: " + Hex.of(size) + " bytes at "
                    + Hex.of(start) + " do not fit in RAM " + ramRange(ram));
        }
        return PhysicalRange.ofSize(start, size);
    }

    static void writeInitrdAndDtb(GuestRam ram, Optional<BootFile> initrd, Optional<PhysicalRange> initrdRange,
                                  byte[] dtb, PhysicalRange dtbRange) {
        if (initrd.isPresent() && initrdRange.isPresent()) {
            BootFile f = initrd.get();
            ram.write(initrdRange.get().start(), f.content(), 0, f.size());
        }
        ram.write(dtbRange.start(), dtb, 0, dtb.length);
    }

    static String ramRange(GuestRam ram) {
        return Hex.range(ram.base(), ram.end());
    }
}
