package dev.aarvark.emulator.boot;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Parses and validates a flattened devicetree blob (Devicetree Specification v0.4 §5) into an
 * {@link Fdt}.
 *
 * <p>Checks, each failing with an {@link FdtFormatException} naming the source: the blob holds a
 * whole header; the magic is {@code 0xd00dfeed}; the version is at least 17 and the last compatible
 * version at most 17; {@code totalsize} is no larger than the blob (trailing bytes after it are
 * ignored, as libfdt does); the reservation block is 8-byte aligned, inside {@code totalsize} and
 * terminated; the structure block is 4-byte aligned and, like the strings block, inside
 * {@code totalsize}; every token is known; names and property name offsets stay inside their
 * blocks and are NUL-terminated; nodes are balanced, there is exactly one root, and the structure
 * ends with {@code FDT_END}. Property and child names must be unique within a node.
 */
final class FdtReader {
    private final byte[] blob;
    private final String source;

    private FdtReader(byte[] blob, String source) {
        this.blob = blob;
        this.source = source;
    }

    static Fdt read(byte[] blob, String source) {
        return new FdtReader(blob, source).parse();
    }

    private Fdt parse() {
        if (blob.length < FdtWriter.HEADER_SIZE) {
            throw fail("truncated: the header needs 40 bytes but there are " + blob.length);
        }
        if (u32(0) != Fdt.MAGIC) {
            throw fail("bad magic " + Hex.of(u32(0) & 0xffff_ffffL) + ", expected 0xd00dfeed (not a flattened device tree)");
        }
        long total = field(4);
        long offStruct = field(8);
        long offStrings = field(12);
        long offRsv = field(16);
        long version = field(20);
        long lastComp = field(24);
        int bootCpu = u32(28);
        long sizeStrings = field(32);
        long sizeStruct = field(36);

        if (version < Fdt.VERSION || lastComp > Fdt.VERSION) {
            throw fail("unsupported version " + version + " (last compatible " + lastComp + "); version 17 is required");
        }
        if (total > blob.length) {
            throw fail("truncated: totalsize is " + Hex.of(total) + " bytes but there are only " + Hex.of(blob.length));
        }
        if (total < FdtWriter.HEADER_SIZE) {
            throw fail("totalsize " + Hex.of(total) + " is smaller than the header");
        }
        checkBlock("structure block", offStruct, sizeStruct, total, 4);
        checkBlock("strings block", offStrings, sizeStrings, total, 1);
        if (offRsv % 8 != 0 || offRsv < FdtWriter.HEADER_SIZE || offRsv > total) {
            throw fail("memory reservation block offset " + Hex.of(offRsv) + " is misaligned or outside totalsize " + Hex.of(total));
        }
        List<MemoryReservation> reservations = reservations((int) offRsv, (int) total);
        FdtNode root = structure((int) offStruct, (int) (offStruct + sizeStruct), (int) offStrings, (int) sizeStrings);
        return new Fdt(root, reservations, bootCpu);
    }

    private void checkBlock(String what, long off, long size, long total, int align) {
        if (off % align != 0) {
            throw fail(what + " offset " + Hex.of(off) + " is not " + align + "-byte aligned");
        }
        if (off < FdtWriter.HEADER_SIZE || off > total || size > total - off) {
            throw fail(what + " " + Hex.range(off, off + size) + " lies outside totalsize " + Hex.of(total));
        }
    }

    private List<MemoryReservation> reservations(int off, int total) {
        List<MemoryReservation> out = new ArrayList<>();
        for (int p = off; ; p += 16) {
            if (p + 16 > total) {
                throw fail("memory reservation block has no terminating entry inside totalsize");
            }
            long addr = u64(p);
            long size = u64(p + 8);
            if (addr == 0 && size == 0) {
                return out;
            }
            out.add(new MemoryReservation(addr, size));
        }
    }

    private FdtNode structure(int start, int end, int offStrings, int sizeStrings) {
        Deque<FdtNode> open = new ArrayDeque<>();
        FdtNode root = null;
        int p = start;
        while (true) {
            if (p + 4 > end) {
                throw fail("structure block ends at " + Hex.of(end) + " without FDT_END");
            }
            int tokenAt = p;
            int token = u32(p);
            p += 4;
            switch (token) {
                case FdtWriter.FDT_BEGIN_NODE -> {
                    int nul = nul(p, end, "node name at " + Hex.of(tokenAt));
                    String name = new String(blob, p, nul - p, StandardCharsets.UTF_8);
                    p = align4(nul + 1);
                    if (root == null) {
                        root = new FdtNode("");
                        open.push(root);
                    } else if (open.isEmpty()) {
                        throw fail("a second root node at structure offset " + Hex.of(tokenAt - start));
                    } else {
                        FdtNode child;
                        try {
                            child = open.peek().addChild(name);
                        } catch (IllegalArgumentException e) {
                            throw fail("node at structure offset " + Hex.of(tokenAt - start) + ": " + e.getMessage());
                        }
                        open.push(child);
                    }
                }
                case FdtWriter.FDT_END_NODE -> {
                    if (open.isEmpty()) {
                        throw fail("FDT_END_NODE without an open node at structure offset " + Hex.of(tokenAt - start));
                    }
                    open.pop();
                }
                case FdtWriter.FDT_PROP -> {
                    if (open.isEmpty()) {
                        throw fail("property outside any node at structure offset " + Hex.of(tokenAt - start));
                    }
                    if (p + 8 > end) {
                        throw fail("property header at structure offset " + Hex.of(tokenAt - start) + " runs past the block");
                    }
                    long len = u32(p) & 0xffff_ffffL;
                    long nameOff = u32(p + 4) & 0xffff_ffffL;
                    p += 8;
                    if (len > end - p) {
                        throw fail("property value of " + Hex.of(len) + " bytes at structure offset "
                                + Hex.of(tokenAt - start) + " runs past the structure block");
                    }
                    String name = propertyName(nameOff, offStrings, sizeStrings, tokenAt - start);
                    byte[] value = Arrays.copyOfRange(blob, p, p + (int) len);
                    p = align4(p + (int) len);
                    FdtNode node = open.peek();
                    if (node.property(name).isPresent()) {
                        throw fail("node '" + node.name() + "' has property '" + name + "' twice");
                    }
                    node.put(new FdtProperty(name, value));
                }
                case FdtWriter.FDT_NOP -> {
                    // nothing
                }
                case FdtWriter.FDT_END -> {
                    if (root == null) {
                        throw fail("structure block has no root node");
                    }
                    if (!open.isEmpty()) {
                        throw fail("FDT_END with " + open.size() + " node(s) still open");
                    }
                    return root;
                }
                default -> throw fail("unknown token " + Hex.of(token & 0xffff_ffffL) + " at structure offset "
                        + Hex.of(tokenAt - start));
            }
        }
    }

    private String propertyName(long nameOff, int offStrings, int sizeStrings, int at) {
        if (nameOff >= sizeStrings) {
            throw fail("property at structure offset " + Hex.of(at) + " names string offset " + Hex.of(nameOff)
                    + " outside the strings block of " + Hex.of(sizeStrings) + " bytes");
        }
        int s = offStrings + (int) nameOff;
        int nul = nul(s, offStrings + sizeStrings, "property name at strings offset " + Hex.of(nameOff));
        if (nul == s) {
            throw fail("property at structure offset " + Hex.of(at) + " has an empty name");
        }
        return new String(blob, s, nul - s, StandardCharsets.UTF_8);
    }

    private int nul(int from, int limit, String what) {
        for (int i = from; i < limit; i++) {
            if (blob[i] == 0) {
                return i;
            }
        }
        throw fail(what + " is not NUL-terminated inside its block");
    }

    private static int align4(int v) {
        return (v + 3) & ~3;
    }

    private long field(int off) {
        return u32(off) & 0xffff_ffffL;
    }

    private int u32(int off) {
        return FdtProperty.getInt(blob, off);
    }

    private long u64(int off) {
        return ((long) u32(off) << 32) | (u32(off + 4) & 0xffff_ffffL);
    }

    private FdtFormatException fail(String reason) {
        return new FdtFormatException(source, reason);
    }
}
