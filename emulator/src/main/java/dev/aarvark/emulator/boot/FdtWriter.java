package dev.aarvark.emulator.boot;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Serialises an {@link Fdt} as a flattened devicetree blob (Devicetree Specification v0.4 §5).
 *
 * <p>Layout, in the order dtc uses: the 40-byte header (§5.2), the memory reservation block at
 * offset 40 (8-byte aligned, ended by an all-zero entry, §5.3), the structure block (§5.4:
 * {@code FDT_BEGIN_NODE} + NUL-terminated name padded to 4 bytes, {@code FDT_PROP} + length +
 * name offset + value padded to 4 bytes, {@code FDT_END_NODE}, one final {@code FDT_END}) and the
 * strings block (§5.5), in which every property name appears once.
 */
final class FdtWriter {
    static final int FDT_BEGIN_NODE = 1;
    static final int FDT_END_NODE = 2;
    static final int FDT_PROP = 3;
    static final int FDT_NOP = 4;
    static final int FDT_END = 9;
    static final int HEADER_SIZE = 40;

    private final Blob struct = new Blob();
    private final Blob strings = new Blob();
    private final Map<String, Integer> stringOffsets = new LinkedHashMap<>();

    private FdtWriter() {
    }

    static byte[] write(Fdt fdt) {
        FdtWriter w = new FdtWriter();
        w.node(fdt.root());
        w.struct.u32(FDT_END);

        int rsvOff = HEADER_SIZE;
        int rsvSize = (fdt.reservations().size() + 1) * 16;
        int structOff = rsvOff + rsvSize;
        int structSize = w.struct.size();
        int stringsOff = structOff + structSize;
        int stringsSize = w.strings.size();
        int total = stringsOff + stringsSize;

        Blob out = new Blob();
        out.u32(Fdt.MAGIC);
        out.u32(total);
        out.u32(structOff);
        out.u32(stringsOff);
        out.u32(rsvOff);
        out.u32(Fdt.VERSION);
        out.u32(Fdt.LAST_COMPATIBLE_VERSION);
        out.u32(fdt.bootCpuidPhys());
        out.u32(stringsSize);
        out.u32(structSize);
        for (MemoryReservation r : fdt.reservations()) {
            out.u64(r.address());
            out.u64(r.size());
        }
        out.u64(0);
        out.u64(0);
        out.bytes(w.struct.toByteArray());
        out.bytes(w.strings.toByteArray());
        return out.toByteArray();
    }

    private void node(FdtNode n) {
        struct.u32(FDT_BEGIN_NODE);
        struct.bytes(n.name().getBytes(StandardCharsets.UTF_8));
        struct.u8(0);
        struct.pad4();
        for (FdtProperty p : n.properties()) {
            struct.u32(FDT_PROP);
            struct.u32(p.length());
            struct.u32(nameOffset(p.name()));
            struct.bytes(p.value());
            struct.pad4();
        }
        for (FdtNode c : n.children()) {
            node(c);
        }
        struct.u32(FDT_END_NODE);
    }

    private int nameOffset(String name) {
        return stringOffsets.computeIfAbsent(name, k -> {
            int off = strings.size();
            strings.bytes(k.getBytes(StandardCharsets.UTF_8));
            strings.u8(0);
            return off;
        });
    }

    /** A growable big-endian byte buffer. */
    private static final class Blob extends ByteArrayOutputStream {
        void u8(int v) {
            write(v);
        }

        void u32(int v) {
            write(v >>> 24);
            write(v >>> 16);
            write(v >>> 8);
            write(v);
        }

        void u64(long v) {
            u32((int) (v >>> 32));
            u32((int) v);
        }

        void bytes(byte[] b) {
            write(b, 0, b.length);
        }

        void pad4() {
            while (size() % 4 != 0) {
                write(0);
            }
        }
    }
}
