package dev.aarvark.emulator.boot;

import java.util.ArrayList;
import java.util.List;

/**
 * A validated ELF-64 AArch64 executable (ELF-64 Object File Format / System V gABI; AArch64 ELF ABI
 * for {@code EM_AARCH64}): its header fields and program headers.
 *
 * <p>Parsing checks, each failing with a {@link BootImageException} naming the file: the identity
 * bytes ({@code \x7fELF}, {@code ELFCLASS64}, {@code ELFDATA2LSB}, {@code EV_CURRENT}); the 64-byte
 * header is complete; {@code e_machine} is {@code EM_AARCH64} (183); {@code e_type} is
 * {@code ET_EXEC} or {@code ET_DYN} (a position-independent image is loaded where its headers say,
 * unrelocated, as QEMU does); {@code e_phentsize} is 56; there is at least one program header and
 * every program header lies inside the file; every {@code PT_LOAD} has {@code p_filesz <= p_memsz}
 * and its file bytes inside the file. Section headers are not needed to load and are checked only
 * when symbols are read ({@link ElfSymbolReader}).
 */
final class ElfFile {
    static final int EM_AARCH64 = 183;
    static final int ET_EXEC = 2;
    static final int ET_DYN = 3;
    static final int EHDR_SIZE = 64;
    static final int PHDR_SIZE = 56;

    private final BootFile file;
    private final int type;
    private final long entry;
    private final long shoff;
    private final int shentsize;
    private final int shnum;
    private final int shstrndx;
    private final List<ElfProgramHeader> programHeaders;

    private ElfFile(BootFile file, int type, long entry, long shoff, int shentsize, int shnum, int shstrndx,
                    List<ElfProgramHeader> programHeaders) {
        this.file = file;
        this.type = type;
        this.entry = entry;
        this.shoff = shoff;
        this.shentsize = shentsize;
        this.shnum = shnum;
        this.shstrndx = shstrndx;
        this.programHeaders = List.copyOf(programHeaders);
    }

    static ElfFile parse(BootFile file) {
        byte[] b = file.content();
        if (b.length < 4 || b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F') {
            throw file.error("not an ELF file (no \\x7fELF magic)");
        }
        if (b.length < 16) {
            throw file.error("truncated ELF: the identity bytes need 16 bytes but the file has " + Hex.of(b.length));
        }
        switch (b[4]) {
            case 2 -> { }
            case 1 -> throw file.error("32-bit ELF (ELFCLASS32); aarvark loads ELF64 AArch64 executables only");
            default -> throw file.error("invalid ELF class " + (b[4] & 0xff));
        }
        switch (b[5]) {
            case 1 -> { }
            case 2 -> throw file.error("big-endian ELF (ELFDATA2MSB); aarvark loads little-endian AArch64 executables only");
            default -> throw file.error("invalid ELF data encoding " + (b[5] & 0xff));
        }
        if (b[6] != 1) {
            throw file.error("unsupported ELF identity version " + (b[6] & 0xff) + " (expected 1, EV_CURRENT)");
        }
        if (b.length < EHDR_SIZE) {
            throw file.error("truncated ELF: the ELF64 header needs 0x40 bytes but the file has " + Hex.of(b.length) + " bytes");
        }
        int type = u16(b, 16);
        int machine = u16(b, 18);
        if (machine != EM_AARCH64) {
            throw file.error("not an AArch64 ELF: e_machine is " + machine + machineName(machine) + ", expected 183 (EM_AARCH64)");
        }
        if (type != ET_EXEC && type != ET_DYN) {
            throw file.error("ELF type " + type + typeName(type) + " is not an executable; expected ET_EXEC or ET_DYN");
        }
        if (u32(b, 20) != 1) {
            throw file.error("unsupported ELF version " + (u32(b, 20) & 0xffff_ffffL) + " (expected 1, EV_CURRENT)");
        }
        long entry = u64(b, 24);
        long phoff = u64(b, 32);
        long shoff = u64(b, 40);
        int phentsize = u16(b, 54);
        int phnum = u16(b, 56);
        int shentsize = u16(b, 58);
        int shnum = u16(b, 60);
        int shstrndx = u16(b, 62);
        if (phnum == 0) {
            throw file.error("ELF has no program headers, so nothing to load");
        }
        if (phnum == 0xffff) {
            throw file.error("ELF uses extended program header numbering (PN_XNUM), which aarvark does not support");
        }
        if (phentsize != PHDR_SIZE) {
            throw file.error("e_phentsize is " + phentsize + ", expected 56 for ELF64");
        }
        if (Long.compareUnsigned(phoff, b.length) > 0) {
            throw file.error("truncated ELF: the program header table starts at byte " + Hex.of(phoff)
                    + " but the file has " + Hex.of(b.length) + " bytes");
        }
        for (int i = 0; i < phnum; i++) {
            long end = phoff + (long) (i + 1) * PHDR_SIZE;
            if (end > b.length) {
                throw file.error("truncated ELF: program header " + i + " ends at byte " + Hex.of(end)
                        + " but the file has " + Hex.of(b.length) + " bytes");
            }
        }
        List<ElfProgramHeader> headers = new ArrayList<>(phnum);
        for (int i = 0; i < phnum; i++) {
            int p = (int) (phoff + (long) i * PHDR_SIZE);
            ElfProgramHeader ph = new ElfProgramHeader(i, u32(b, p), u32(b, p + 4), u64(b, p + 8), u64(b, p + 16),
                    u64(b, p + 24), u64(b, p + 32), u64(b, p + 40), u64(b, p + 48));
            if (ph.isLoad()) {
                checkLoadSegment(file, ph);
            }
            headers.add(ph);
        }
        return new ElfFile(file, type, entry, shoff, shentsize, shnum, shstrndx, headers);
    }

    private static void checkLoadSegment(BootFile file, ElfProgramHeader ph) {
        if (Long.compareUnsigned(ph.filesz(), ph.memsz()) > 0) {
            throw file.error("program header " + ph.index() + ": p_filesz " + Hex.of(ph.filesz())
                    + " exceeds p_memsz " + Hex.of(ph.memsz()));
        }
        long end = ph.offset() + ph.filesz();
        if (Long.compareUnsigned(end, ph.offset()) < 0) {
            throw file.error("program header " + ph.index() + ": p_offset " + Hex.of(ph.offset()) + " + p_filesz "
                    + Hex.of(ph.filesz()) + " overflows");
        }
        if (ph.filesz() != 0 && Long.compareUnsigned(end, file.size()) > 0) {
            throw file.error("truncated ELF: segment " + ph.index() + " ends at byte " + Hex.of(end)
                    + " but the file has " + Hex.of(file.size()) + " bytes");
        }
    }

    BootFile file() {
        return file;
    }

    /** {@code e_type}: {@link #ET_EXEC} or {@link #ET_DYN}. */
    int type() {
        return type;
    }

    /** {@code e_entry}, a virtual address. */
    long entry() {
        return entry;
    }

    long shoff() {
        return shoff;
    }

    int shentsize() {
        return shentsize;
    }

    int shnum() {
        return shnum;
    }

    int shstrndx() {
        return shstrndx;
    }

    List<ElfProgramHeader> programHeaders() {
        return programHeaders;
    }

    /** The {@code PT_LOAD} headers that occupy memory ({@code p_memsz > 0}), in table order. */
    List<ElfProgramHeader> loadSegments() {
        return programHeaders.stream().filter(p -> p.isLoad() && p.memsz() != 0).toList();
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xff) | ((b[off + 1] & 0xff) << 8);
    }

    static int u32(byte[] b, int off) {
        return (b[off] & 0xff) | ((b[off + 1] & 0xff) << 8) | ((b[off + 2] & 0xff) << 16) | ((b[off + 3] & 0xff) << 24);
    }

    static long u64(byte[] b, int off) {
        return (u32(b, off) & 0xffff_ffffL) | ((long) u32(b, off + 4) << 32);
    }

    private static String machineName(int machine) {
        return switch (machine) {
            case 3 -> " (EM_386)";
            case 40 -> " (EM_ARM, 32-bit Arm)";
            case 62 -> " (EM_X86_64)";
            case 243 -> " (EM_RISCV)";
            default -> "";
        };
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0 -> " (ET_NONE)";
            case 1 -> " (ET_REL, an object file: link it first)";
            case 4 -> " (ET_CORE)";
            default -> "";
        };
    }
}
