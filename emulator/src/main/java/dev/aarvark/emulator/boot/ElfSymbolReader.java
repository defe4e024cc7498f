package dev.aarvark.emulator.boot;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an ELF-64 file's symbol table into a {@link SymbolTable} (ELF-64 gABI "Sections" and
 * "Symbol Table"): the {@code SHT_SYMTAB} section (or, in a stripped file, {@code SHT_DYNSYM}) with
 * the {@code SHT_STRTAB} its {@code sh_link} names.
 *
 * <p>Kept: {@code STT_FUNC}, {@code STT_OBJECT} and {@code STT_NOTYPE} symbols defined in an
 * allocated section ({@code SHF_ALLOC}). Dropped: undefined, absolute and common symbols, section and
 * file symbols, and the AArch64 ELF ABI mapping symbols ({@code $x}, {@code $d}, and their
 * {@code $x.<suffix>} forms), which mark code and data rather than name anything.
 *
 * <p>Symbols only help explain a guest; they are not needed to boot it. So a malformed or truncated
 * section header table or symbol table does not stop the boot: it yields {@link SymbolTable#EMPTY}
 * and a warning saying why.
 */
final class ElfSymbolReader {
    static final int SHDR_SIZE = 64;
    static final int SYM_SIZE = 24;
    static final int SHT_SYMTAB = 2;
    static final int SHT_STRTAB = 3;
    static final int SHT_DYNSYM = 11;
    static final long SHF_ALLOC = 2;
    static final int SHN_LORESERVE = 0xff00;

    private final byte[] b;
    private final String source;
    private final List<String> warnings;

    private ElfSymbolReader(byte[] b, String source, List<String> warnings) {
        this.b = b;
        this.source = source;
        this.warnings = warnings;
    }

    /** The symbols of {@code elf}; problems are appended to {@code warnings}. */
    static SymbolTable read(ElfFile elf, List<String> warnings) {
        return new ElfSymbolReader(elf.file().content(), elf.file().source(), warnings).read(elf);
    }

    private SymbolTable read(ElfFile elf) {
        if (elf.shoff() == 0) {
            return SymbolTable.EMPTY;
        }
        if (elf.shentsize() != SHDR_SIZE) {
            return skip("e_shentsize is " + elf.shentsize() + ", expected 64");
        }
        if (!inFile(elf.shoff(), SHDR_SIZE)) {
            return skip("section header table at " + Hex.of(elf.shoff()) + " lies beyond the end of the file");
        }
        long count = elf.shnum() != 0 ? elf.shnum() : ElfFile.u64(b, (int) elf.shoff() + 32);
        if (count > (b.length - elf.shoff()) / SHDR_SIZE) {
            return skip("section header table of " + count + " entries runs past the end of the file");
        }
        List<Section> sections = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int p = (int) elf.shoff() + i * SHDR_SIZE;
            sections.add(new Section(ElfFile.u32(b, p + 4), ElfFile.u64(b, p + 8), ElfFile.u64(b, p + 16),
                    ElfFile.u64(b, p + 24), ElfFile.u64(b, p + 32), ElfFile.u32(b, p + 40)));
        }
        Section symtab = sections.stream().filter(s -> s.type == SHT_SYMTAB).findFirst()
                .or(() -> sections.stream().filter(s -> s.type == SHT_DYNSYM).findFirst())
                .orElse(null);
        if (symtab == null) {
            return SymbolTable.EMPTY;
        }
        if (symtab.link < 0 || symtab.link >= sections.size() || sections.get(symtab.link).type != SHT_STRTAB) {
            return skip("the symbol table's sh_link " + symtab.link + " is not a string table");
        }
        Section strtab = sections.get(symtab.link);
        if (!inFile(symtab.offset, symtab.size) || !inFile(strtab.offset, strtab.size)) {
            return skip("the symbol or string table runs past the end of the file");
        }
        List<GuestSymbol> symbols = new ArrayList<>();
        int bad = 0;
        for (long off = SYM_SIZE; off + SYM_SIZE <= symtab.size; off += SYM_SIZE) {
            int p = (int) (symtab.offset + off);
            int nameOff = ElfFile.u32(b, p);
            int info = b[p + 4] & 0xff;
            int shndx = ElfFile.u16(b, p + 6);
            long value = ElfFile.u64(b, p + 8);
            long size = ElfFile.u64(b, p + 16);
            GuestSymbol.Kind kind = switch (info & 0xf) {
                case 0 -> GuestSymbol.Kind.LABEL;
                case 1 -> GuestSymbol.Kind.OBJECT;
                case 2 -> GuestSymbol.Kind.FUNCTION;
                default -> null;
            };
            if (kind == null || shndx == 0 || shndx >= SHN_LORESERVE || shndx >= sections.size()) {
                continue;
            }
            Section home = sections.get(shndx);
            if ((home.flags & SHF_ALLOC) == 0) {
                continue;
            }
            String name = name(strtab, nameOff & 0xffff_ffffL);
            if (name == null) {
                bad++;
                continue;
            }
            if (name.isEmpty() || name.startsWith("$")) {
                continue;
            }
            long sectionEnd = home.addr + home.size;
            long end = size != 0 ? value + size
                    : (Long.compareUnsigned(sectionEnd, value) > 0 ? sectionEnd : value);
            if (Long.compareUnsigned(end, value) < 0) {
                bad++;
                continue;
            }
            symbols.add(new GuestSymbol(name, value, size, kind, (info >> 4) != 0, end));
        }
        if (bad > 0) {
            warnings.add("kernel " + source + ": skipped " + bad + " malformed symbol table entries");
        }
        return new SymbolTable(symbols);
    }

    private String name(Section strtab, long off) {
        if (off >= strtab.size) {
            return null;
        }
        int start = (int) (strtab.offset + off);
        int limit = (int) (strtab.offset + strtab.size);
        for (int i = start; i < limit; i++) {
            if (b[i] == 0) {
                return new String(b, start, i - start, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private boolean inFile(long off, long len) {
        return Long.compareUnsigned(off, b.length) <= 0 && Long.compareUnsigned(len, b.length - off) <= 0;
    }

    private SymbolTable skip(String why) {
        warnings.add("kernel " + source + ": symbols not read: " + why);
        return SymbolTable.EMPTY;
    }

    private record Section(int type, long flags, long addr, long offset, long size, int link) {
    }
}
