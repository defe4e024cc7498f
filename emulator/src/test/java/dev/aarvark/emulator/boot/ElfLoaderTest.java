package dev.aarvark.emulator.boot;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElfLoaderTest extends LoaderTestSupport {
    private static final long TEXT = 0x4008_0000L;
    private static final long DATA = 0x4010_0000L;

    /** A typical bare-metal guest: text at RAM + 512 KiB, data with BSS after it. */
    private static TestElf guest() {
        TestElf elf = new TestElf().entry(TEXT + 0x40);
        elf.segment(TEXT, pattern(0x300, 1));
        elf.segment(DATA, pattern(0x80, 2)).flags(ElfProgramHeader.PF_R | ElfProgramHeader.PF_W).memsz(0x2000);
        return elf;
    }

    private Path elfFile(TestElf elf) throws IOException {
        return file("guest.elf", elf.build());
    }

    @Test
    void segmentsGoToTheirPhysicalAddressesWithBssZeroed() throws IOException {
        ram.fill(DATA, 0x2000, (byte) 0xaa);

        BootPlan plan = boot(elfFile(guest()), null);

        assertEquals(KernelFormat.ELF, plan.format());
        assertArrayEquals(pattern(0x300, 1), bytes(TEXT, 0x300));
        assertArrayEquals(pattern(0x80, 2), bytes(DATA, 0x80));
        assertArrayEquals(new byte[0x2000 - 0x80], bytes(DATA + 0x80, 0x2000 - 0x80), "p_memsz beyond p_filesz is zeroed");
        assertEquals(new PhysicalRange(TEXT, DATA + 0x2000), plan.kernel());
        assertEquals(TEXT + 0x40, plan.entryPc());
        assertTrue(plan.warnings().isEmpty(), plan.warnings().toString());
    }

    @Test
    void theDtbGoesToTheBaseOfRamAndX0PointsAtIt() throws IOException {
        BootPlan plan = boot(elfFile(guest()), null);

        assertEquals(RAM, plan.dtbAddress());
        assertEquals(EntryRegisters.withDtb(RAM), plan.registers());
        assertEquals("console=ttyAMA0", dtbInRam(plan).find("/chosen").orElseThrow().property("bootargs").orElseThrow().asString());
        assertEquals(0x4000_0000L, dtbInRam(plan).find("/memory@40000000").orElseThrow().property("reg").orElseThrow().asCells()[1]);
    }

    @Test
    void whenASegmentOccupiesTheBaseOfRamTheDtbGoesToTheNext2MiBAfterTheImage() throws IOException {
        TestElf elf = new TestElf().entry(RAM);
        elf.segment(RAM, pattern(0x1000, 3)).memsz(0x30_0000);

        BootPlan plan = boot(elfFile(elf), null);

        assertEquals(0x4040_0000L, plan.dtbAddress());
        assertArrayEquals(pattern(0x1000, 3), bytes(RAM, 0x1000), "the DTB did not overwrite the segment");
    }

    @Test
    void anInitrdGoesWhereQemuPutsAnImagesInitrdAndIsNamedInChosen() throws IOException {
        BootPlan plan = boot(elfFile(guest()), file("initrd", pattern(0x1234, 4)));

        assertEquals(Optional.of(PhysicalRange.ofSize(0x4800_0000L, 0x1234)), plan.initrd());
        assertArrayEquals(pattern(0x1234, 4), bytes(0x4800_0000L, 0x1234));
        FdtNode chosen = dtbInRam(plan).find("/chosen").orElseThrow();
        assertEquals(0x4800_0000L, chosen.property("linux,initrd-start").orElseThrow().asNumber());
        assertEquals(0x4800_1234L, chosen.property("linux,initrd-end").orElseThrow().asNumber());
        assertEquals(RAM, plan.dtbAddress());
    }

    @Test
    void anEntryGivenAsAVirtualAddressIsTranslatedToTheSegmentsPhysicalAddress() throws IOException {
        TestElf elf = new TestElf().entry(0xffff_0000_0000_0100L);
        elf.segment(TEXT, pattern(0x400, 1)).vaddr(0xffff_0000_0000_0000L);

        BootPlan plan = boot(elfFile(elf), null);

        assertEquals(TEXT + 0x100, plan.entryPc());
    }

    @Test
    void anEntryInANonExecutableSegmentIsAWarningNotAnError() throws IOException {
        TestElf elf = new TestElf().entry(TEXT);
        elf.segment(TEXT, pattern(0x100, 1)).flags(ElfProgramHeader.PF_R);
        Path kernel = elfFile(elf);

        BootPlan plan = boot(kernel, null);

        assertEquals(TEXT, plan.entryPc());
        assertEquals(java.util.List.of("kernel " + kernel + ": entry point 0x40080000 lies in segment 0, which is not marked executable (no PF_X)"),
                plan.warnings());
    }

    @Test
    void symbolsNameAddressesAsSymbolPlusOffset() throws IOException {
        TestElf elf = guest()
                .symbol("_start", TEXT, 0x40, TestElf.STT_FUNC, TestElf.STB_GLOBAL)
                .symbol("uart_putc", TEXT + 0x40, 0x20, TestElf.STT_FUNC, TestElf.STB_GLOBAL)
                .symbol("spin", TEXT + 0x100, 0, TestElf.STT_NOTYPE, TestElf.STB_LOCAL)
                .symbol("$x", TEXT, 0, TestElf.STT_NOTYPE, TestElf.STB_LOCAL)
                .symbol("$d.1", TEXT + 0x104, 0, TestElf.STT_NOTYPE, TestElf.STB_LOCAL)
                .symbol(".text", TEXT, 0, TestElf.STT_SECTION, TestElf.STB_LOCAL)
                .symbol("CONST", 0x1234, 0, TestElf.STT_NOTYPE, TestElf.STB_GLOBAL, TestElf.SHN_ABS);

        SymbolTable symbols = boot(elfFile(elf), null).symbols();

        assertEquals(3, symbols.size(), "mapping, section and absolute symbols are dropped: " + symbols.symbols());
        assertEquals(Optional.of("_start"), symbols.describe(TEXT));
        assertEquals(Optional.of("uart_putc+0x1c"), symbols.describe(TEXT + 0x5c));
        assertEquals(Optional.of("spin+0x80"), symbols.describe(TEXT + 0x180), "a label runs to the end of its section");
        assertEquals(Optional.empty(), symbols.describe(TEXT + 0x300), "past the end of .text");
        assertEquals(Optional.empty(), symbols.describe(0x1234));
    }

    @Test
    void anElfWithoutSectionHeadersLoadsWithAnEmptySymbolTable() throws IOException {
        BootPlan plan = boot(elfFile(guest()), null);

        assertEquals(0, plan.symbols().size());
    }

    @Test
    void aBrokenSymbolTableIsAWarningNotAnError() throws IOException {
        byte[] elf = guest().symbol("main", TEXT, 4, TestElf.STT_FUNC, TestElf.STB_GLOBAL).build();
        ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putLong(40, 0x7fff_0000L);  // e_shoff beyond the file
        Path kernel = file("guest.elf", elf);

        BootPlan plan = boot(kernel, null);

        assertEquals(0, plan.symbols().size());
        assertEquals(java.util.List.of("kernel " + kernel + ": symbols not read: section header table at 0x7fff0000 lies beyond the end of the file"),
                plan.warnings());
    }

    // ---- refused inputs: each names the file, says why in one line, and writes nothing ----

    private void assertRefused(byte[] elf, String reason) throws IOException {
        Path kernel = file("bad.elf", elf);
        assertOneLine(bootFails(kernel, null), "kernel " + kernel + ": " + reason);
        assertRamUntouched();
    }

    @Test
    void a32BitElfIsRefused() throws IOException {
        TestElf elf = guest();
        elf.elfClass = 1;
        assertRefused(elf.build(), "32-bit ELF (ELFCLASS32); aarvark loads ELF64 AArch64 executables only");
    }

    @Test
    void aBigEndianElfIsRefused() throws IOException {
        TestElf elf = guest();
        elf.dataEncoding = 2;
        assertRefused(elf.build(), "big-endian ELF (ELFDATA2MSB); aarvark loads little-endian AArch64 executables only");
    }

    @Test
    void anElfForAnotherMachineIsRefused() throws IOException {
        TestElf elf = guest();
        elf.machine = 62;
        assertRefused(elf.build(), "not an AArch64 ELF: e_machine is 62 (EM_X86_64), expected 183 (EM_AARCH64)");
    }

    @Test
    void anObjectFileIsRefused() throws IOException {
        TestElf elf = guest();
        elf.type = 1;
        assertRefused(elf.build(), "ELF type 1 (ET_REL, an object file: link it first) is not an executable; expected ET_EXEC or ET_DYN");
    }

    @Test
    void aPositionIndependentExecutableLoadsAtItsHeadersAddresses() throws IOException {
        TestElf elf = guest();
        elf.type = 3;

        assertEquals(TEXT + 0x40, boot(elfFile(elf), null).entryPc());
    }

    @Test
    void aFileCutInsideTheElfHeaderIsTruncated() throws IOException {
        assertRefused(Arrays.copyOf(guest().build(), 40), "truncated ELF: the ELF64 header needs 0x40 bytes but the file has 0x28 bytes");
    }

    @Test
    void aFileCutInsideTheProgramHeadersIsTruncatedNamingTheHeader() throws IOException {
        TestElf elf = guest();
        elf.segment(0x4020_0000L, pattern(0x10, 1));
        byte[] b = Arrays.copyOf(elf.build(), 0xd0);  // program header 2 spans [0x40 + 2 * 56, 0x40 + 3 * 56) = [0xb0, 0xe8)

        assertRefused(b, "truncated ELF: program header 2 ends at byte 0xe8 but the file has 0xd0 bytes");
    }

    @Test
    void aProgramHeaderTableBeyondTheEndOfTheFileIsTruncated() throws IOException {
        TestElf elf = guest();
        elf.phoffOverride = 0x10_0000L;

        assertRefused(elf.build(), "truncated ELF: the program header table starts at byte 0x100000 but the file has "
                + Hex.of(elf.build().length) + " bytes");
    }

    @Test
    void aSegmentWhoseBytesRunPastTheEndOfTheFileIsTruncated() throws IOException {
        byte[] b = guest().build();
        byte[] cut = Arrays.copyOf(b, b.length - 0x10);

        assertRefused(cut, "truncated ELF: segment 1 ends at byte " + Hex.of(b.length) + " but the file has "
                + Hex.of(cut.length) + " bytes");
    }

    @Test
    void aSegmentWithMoreFileBytesThanMemoryIsRefused() throws IOException {
        TestElf elf = guest();
        elf.segments.get(1).memsz = 0x40;
        assertRefused(elf.build(), "program header 1: p_filesz 0x80 exceeds p_memsz 0x40");
    }

    @Test
    void overlappingSegmentsAreRefused() throws IOException {
        TestElf elf = guest();
        elf.segment(TEXT + 0x200, pattern(0x200, 9));
        assertRefused(elf.build(), "PT_LOAD segments 0 [0x40080000, 0x40080300) and 2 [0x40080200, 0x40080400) overlap");
    }

    @Test
    void aSegmentOutsideRamIsRefused() throws IOException {
        TestElf elf = guest();
        elf.segment(0x0900_0000L, pattern(0x10, 1));
        assertRefused(elf.build(), "segment 2 [0x9000000, 0x9000010) lies outside RAM [0x40000000, 0x60000000)");
    }

    @Test
    void aSegmentRunningPastTheEndOfRamIsRefused() throws IOException {
        TestElf elf = guest();
        elf.segment(0x5fff_f000L, pattern(0x10, 1)).memsz(0x2000);
        assertRefused(elf.build(), "segment 2 [0x5ffff000, 0x60001000) lies outside RAM [0x40000000, 0x60000000)");
    }

    @Test
    void anEntryOutsideEveryLoadedSegmentIsRefused() throws IOException {
        TestElf elf = guest().entry(DATA + 0x100);  // inside the data segment's BSS, not its file bytes
        assertRefused(elf.build(), "entry point 0x40100100 is not inside the file-backed bytes of any PT_LOAD segment");
    }

    @Test
    void anElfWithNothingToLoadIsRefused() throws IOException {
        TestElf elf = guest();
        elf.segments.forEach(s -> s.type = 4);  // PT_NOTE
        assertRefused(elf.build(), "ELF has no PT_LOAD segment with bytes to load");
    }

    @Test
    void aWrongProgramHeaderEntrySizeIsRefused() throws IOException {
        TestElf elf = guest();
        elf.phentsizeOverride = 32;
        assertRefused(elf.build(), "e_phentsize is 32, expected 56 for ELF64");
    }
}
