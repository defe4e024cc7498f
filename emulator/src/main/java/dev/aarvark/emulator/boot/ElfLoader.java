package dev.aarvark.emulator.boot;

import dev.aarvark.memory.GuestRam;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Loads an ELF-64 AArch64 executable ({@link ElfFile}) the way QEMU's {@code load_elf} and
 * {@code arm_setup_direct_kernel_boot} do, with the additions noted below.
 *
 * <p>Segments: each {@code PT_LOAD} is copied to its physical address {@code p_paddr}
 * ({@code p_filesz} bytes from the file, then zeros up to {@code p_memsz}). Refused: a segment not
 * wholly inside RAM, two segments whose physical ranges overlap, no segment with bytes.
 *
 * <p>Entry: {@code e_entry} is a virtual address. If it falls in the file-backed part of a
 * {@code PT_LOAD} by virtual address, the PC is translated to that segment's physical address
 * ({@code e_entry - p_vaddr + p_paddr}; QEMU does this for segments whose {@code p_vaddr} and
 * {@code p_paddr} differ); failing that, an entry inside a segment's physical file-backed range is
 * used as is. An entry in no loaded bytes is refused (the CPU would start in memory nobody wrote).
 * An entry in a segment without {@code PF_X} is only a warning: with the MMU off the CPU executes it
 * anyway, and hand-written linker scripts often omit the flag.
 *
 * <p>DTB: at the base of RAM, as QEMU puts it for ELF kernels, if that space is free of segments
 * (QEMU then silently gives no DTB when its 1 MiB blob does not fit below the image; aarvark's blob
 * is compact, and if even that does not fit it goes to the first 2 MiB boundary after the image
 * and initrd instead). x0 = the DTB's address, x1-x3 = 0 (QEMU leaves x0 = 0 for ELF kernels; a
 * guest that ignores x0 sees no difference).
 *
 * <p>Initrd (QEMU ignores {@code -initrd} for ELF kernels; aarvark loads it): placed by the same
 * rule as for an Image, after the highest segment, and named in {@code /chosen}.
 *
 * <p>Symbols: {@code .symtab} is read into the plan's {@link SymbolTable} ({@link ElfSymbolReader}).
 */
final class ElfLoader {
    private ElfLoader() {
    }

    static BootPlan load(GuestRam ram, BootFile kernel, Optional<BootFile> initrd, DtbFactory dtbFactory) {
        ElfFile elf = ElfFile.parse(kernel);
        List<ElfProgramHeader> segments = elf.loadSegments();
        if (segments.isEmpty()) {
            throw kernel.error("ELF has no PT_LOAD segment with bytes to load");
        }
        long low = Long.MAX_VALUE;
        long high = 0;
        for (ElfProgramHeader s : segments) {
            long end = s.paddr() + s.memsz();
            if (s.paddr() < 0 || end < s.paddr() || !ram.contains(s.paddr(), s.memsz())) {
                throw kernel.error("segment " + s.index() + " " + Hex.range(s.paddr(), end)
                        + " lies outside RAM " + BootLayout.ramRange(ram));
            }
            low = Math.min(low, s.paddr());
            high = Math.max(high, end);
        }
        for (int i = 0; i < segments.size(); i++) {
            for (int j = i + 1; j < segments.size(); j++) {
                ElfProgramHeader a = segments.get(i);
                ElfProgramHeader b = segments.get(j);
                if (a.physicalRange().overlaps(b.physicalRange())) {
                    throw kernel.error("PT_LOAD segments " + a.index() + " " + a.physicalRange() + " and " + b.index()
                            + " " + b.physicalRange() + " overlap");
                }
            }
        }
        List<String> warnings = new ArrayList<>();
        long pc = entryPc(elf, segments, warnings);

        PhysicalRange image = new PhysicalRange(low, high);
        Optional<PhysicalRange> initrdRange = BootLayout.placeInitrd(ram, initrd, high);
        byte[] dtb = BootLayout.createDtb(dtbFactory, initrdRange);
        PhysicalRange atBase = PhysicalRange.ofSize(ram.base(), dtb.length);
        boolean baseFree = segments.stream().noneMatch(s -> s.physicalRange().overlaps(atBase))
                && initrdRange.map(r -> !r.overlaps(atBase)).orElse(true);
        long dtbStart = baseFree ? ram.base()
                : QemuBootPlacement.dtbStartAfter(Math.max(high, initrdRange.map(PhysicalRange::end).orElse(high)));
        PhysicalRange dtbRange = BootLayout.requireDtbRoom(ram, dtbFactory, dtbStart, dtb.length);
        SymbolTable symbols = ElfSymbolReader.read(elf, warnings);

        byte[] content = kernel.content();
        for (ElfProgramHeader s : segments) {
            if (s.filesz() != 0) {
                ram.write(s.paddr(), content, (int) s.offset(), (int) s.filesz());
            }
            ram.fill(s.paddr() + s.filesz(), s.memsz() - s.filesz(), (byte) 0);
        }
        BootLayout.writeInitrdAndDtb(ram, initrd, initrdRange, dtb, dtbRange);
        return new BootPlan(KernelFormat.ELF, pc, EntryRegisters.withDtb(dtbRange.start()), image, initrdRange,
                dtbRange, symbols, warnings);
    }

    private static long entryPc(ElfFile elf, List<ElfProgramHeader> segments, List<String> warnings) {
        long entry = elf.entry();
        ElfProgramHeader home = null;
        for (ElfProgramHeader s : segments) {
            if (s.coversVirtual(entry) && (home == null || (!home.executable() && s.executable()))) {
                home = s;
            }
        }
        long pc;
        if (home != null) {
            pc = entry - home.vaddr() + home.paddr();
        } else {
            for (ElfProgramHeader s : segments) {
                if (s.coversPhysical(entry) && (home == null || (!home.executable() && s.executable()))) {
                    home = s;
                }
            }
            if (home == null) {
                throw elf.file().error("entry point " + Hex.of(entry)
                        + " is not inside the file-backed bytes of any PT_LOAD segment");
            }
            pc = entry;
        }
        if (!home.executable()) {
            warnings.add("kernel " + elf.file().source() + ": entry point " + Hex.of(entry) + " lies in segment "
                    + home.index() + ", which is not marked executable (no PF_X)");
        }
        return pc;
    }
}
