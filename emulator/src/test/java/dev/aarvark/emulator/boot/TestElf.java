package dev.aarvark.emulator.boot;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ELF-64 files for tests: header, program headers, segment bytes, and optionally
 * section headers with {@code .text}, {@code .symtab}, {@code .strtab} and {@code .shstrtab}.
 * Every header field a test may want to get wrong is a public field.
 */
final class TestElf {
    static final int STT_NOTYPE = 0;
    static final int STT_OBJECT = 1;
    static final int STT_FUNC = 2;
    static final int STT_SECTION = 3;
    static final int STB_LOCAL = 0;
    static final int STB_GLOBAL = 1;
    static final int SHN_ABS = 0xfff1;

    /** One program header and its file bytes. */
    static final class Segment {
        int type = ElfProgramHeader.PT_LOAD;
        int flags = ElfProgramHeader.PF_R | ElfProgramHeader.PF_X;
        long vaddr;
        long paddr;
        byte[] data;
        long memsz;
        /** File offset written into the header; null = where the bytes really are. */
        Long offsetOverride;
        long fileOffset;

        Segment flags(int f) {
            flags = f;
            return this;
        }

        Segment memsz(long m) {
            memsz = m;
            return this;
        }

        Segment vaddr(long v) {
            vaddr = v;
            return this;
        }
    }

    private record Sym(String name, long value, long size, int type, int bind, int shndx) {
    }

    int elfClass = 2;
    int dataEncoding = 1;
    int identVersion = 1;
    int type = 2;
    int machine = 183;
    long entry;
    Integer phentsizeOverride;
    Long phoffOverride;
    final List<Segment> segments = new ArrayList<>();
    private final List<Sym> symbols = new ArrayList<>();

    TestElf entry(long e) {
        entry = e;
        return this;
    }

    /** A PT_LOAD of {@code data} at virtual = physical {@code address}, memsz = data length. */
    Segment segment(long address, byte[] data) {
        Segment s = new Segment();
        s.vaddr = address;
        s.paddr = address;
        s.data = data;
        s.memsz = data.length;
        segments.add(s);
        return s;
    }

    /** A symbol defined in {@code .text} (section 1, which spans the first segment). */
    TestElf symbol(String name, long value, long size, int symType, int bind) {
        return symbol(name, value, size, symType, bind, 1);
    }

    TestElf symbol(String name, long value, long size, int symType, int bind, int shndx) {
        symbols.add(new Sym(name, value, size, symType, bind, shndx));
        return this;
    }

    byte[] build() {
        int phoff = 64;
        int offset = align(phoff + 56 * segments.size(), 16);
        for (Segment s : segments) {
            s.fileOffset = offset;
            offset = align(offset + s.data.length, 16);
        }
        ByteBuffer out = ByteBuffer.allocate(offset + 4096 + symbols.size() * 64).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) elfClass, (byte) dataEncoding, (byte) identVersion});
        out.position(16);
        out.putShort((short) type).putShort((short) machine).putInt(1).putLong(entry)
                .putLong(phoffOverride != null ? phoffOverride : phoff).putLong(0) // e_shoff patched below
                .putInt(0).putShort((short) 64)
                .putShort((short) (phentsizeOverride != null ? phentsizeOverride : 56)).putShort((short) segments.size())
                .putShort((short) 64).putShort((short) 0).putShort((short) 0);
        out.position(phoff);
        for (Segment s : segments) {
            out.putInt(s.type).putInt(s.flags)
                    .putLong(s.offsetOverride != null ? s.offsetOverride : s.fileOffset)
                    .putLong(s.vaddr).putLong(s.paddr).putLong(s.data.length).putLong(s.memsz).putLong(0x1000);
        }
        for (Segment s : segments) {
            out.position((int) s.fileOffset);
            out.put(s.data);
        }
        out.position(offset);
        if (!symbols.isEmpty()) {
            writeSections(out);
        }
        byte[] result = new byte[out.position()];
        out.flip();
        out.get(result);
        return result;
    }

    private void writeSections(ByteBuffer out) {
        ByteArrayOutputStream strtab = new ByteArrayOutputStream();
        strtab.write(0);
        ByteBuffer symtab = ByteBuffer.allocate(24 * (symbols.size() + 1)).order(ByteOrder.LITTLE_ENDIAN);
        symtab.position(24);
        for (Sym s : symbols) {
            int nameOff = strtab.size();
            strtab.writeBytes(s.name.getBytes(StandardCharsets.UTF_8));
            strtab.write(0);
            symtab.putInt(nameOff).put((byte) ((s.bind << 4) | s.type)).put((byte) 0).putShort((short) s.shndx)
                    .putLong(s.value).putLong(s.size);
        }
        byte[] shstrtab = "\0.text\0.symtab\0.strtab\0.shstrtab\0".getBytes(StandardCharsets.UTF_8);
        int symtabOff = out.position();
        out.put(symtab.array());
        int strtabOff = out.position();
        out.put(strtab.toByteArray());
        int shstrOff = out.position();
        out.put(shstrtab);
        int shoff = align(out.position(), 8);
        out.position(shoff);
        Segment text = segments.get(0);
        out.put(new byte[64]);                                                   // 0: SHN_UNDEF
        section(out, 1, 1, 2 | 4, text.vaddr, text.fileOffset, text.memsz, 0, 0, 0);   // 1: .text PROGBITS ALLOC|EXEC
        section(out, 7, 2, 0, 0, symtabOff, symtab.capacity(), 3, 1, 24);        // 2: .symtab, link .strtab
        section(out, 15, 3, 0, 0, strtabOff, strtab.size(), 0, 0, 0);            // 3: .strtab
        section(out, 23, 3, 0, 0, shstrOff, shstrtab.length, 0, 0, 0);           // 4: .shstrtab
        int end = out.position();
        out.putLong(40, shoff);
        out.putShort(60, (short) 5);
        out.putShort(62, (short) 4);
        out.position(end);
    }

    private static void section(ByteBuffer out, int name, int type, long flags, long addr, long offset, long size,
                                int link, int info, long entsize) {
        out.putInt(name).putInt(type).putLong(flags).putLong(addr).putLong(offset).putLong(size)
                .putInt(link).putInt(info).putLong(8).putLong(entsize);
    }

    private static int align(int v, int a) {
        return (v + a - 1) & -a;
    }
}
