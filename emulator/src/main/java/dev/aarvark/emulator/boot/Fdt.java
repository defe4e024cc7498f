package dev.aarvark.emulator.boot;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A whole device tree as a flattened devicetree blob carries it (Devicetree Specification v0.4 §5):
 * the root {@link FdtNode}, the memory reservation block (§5.3) and the header's
 * {@code boot_cpuid_phys} (§5.2).
 *
 * <p>{@link #toDtb()} serialises it as a version 17 blob (last compatible version 16) with a
 * deduplicated strings block; {@link #fromDtb} parses and validates a blob. A tree read from a blob
 * and written again keeps every node, property and reservation in its order.
 */
public final class Fdt {
    /** {@code FDT_MAGIC}, the first big-endian word of every blob. */
    public static final int MAGIC = 0xd00dfeed;
    /** The format version this writer produces and this reader requires at least. */
    public static final int VERSION = 17;
    /** The oldest version a version-17 blob is backwards compatible with. */
    public static final int LAST_COMPATIBLE_VERSION = 16;

    private final FdtNode root;
    private final List<MemoryReservation> reservations;
    private final int bootCpuidPhys;

    /** An empty tree: a root node with no properties, no reservations, boot CPU 0. */
    public Fdt() {
        this(new FdtNode(""), List.of(), 0);
    }

    public Fdt(FdtNode root, List<MemoryReservation> reservations, int bootCpuidPhys) {
        if (!root.name().isEmpty()) {
            throw new IllegalArgumentException("the root node's name must be empty, not '" + root.name() + "'");
        }
        this.root = root;
        this.reservations = new ArrayList<>(reservations);
        this.bootCpuidPhys = bootCpuidPhys;
    }

    /** Parses and validates a blob; {@code source} names it in error messages (a file path, say). */
    public static Fdt fromDtb(byte[] blob, String source) {
        return FdtReader.read(blob, source);
    }

    /** The blob: header, memory reservation block, structure block, strings block. */
    public byte[] toDtb() {
        return FdtWriter.write(this);
    }

    public FdtNode root() {
        return root;
    }

    /** The memory reservations in order (read-only view). */
    public List<MemoryReservation> reservations() {
        return Collections.unmodifiableList(reservations);
    }

    /** Appends a memory reservation. */
    public void addReservation(MemoryReservation reservation) {
        reservations.add(reservation);
    }

    /** The physical ID of the boot CPU, as the header carries it. */
    public int bootCpuidPhys() {
        return bootCpuidPhys;
    }

    /**
     * The node at an absolute path such as {@code "/"}, {@code "/chosen"} or {@code "/cpus/cpu@0"};
     * each component may omit an unambiguous unit address (see {@link FdtNode#child}).
     */
    public Optional<FdtNode> find(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("device tree path '" + path + "' is not absolute");
        }
        FdtNode n = root;
        for (String part : path.substring(1).split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            Optional<FdtNode> c = n.child(part);
            if (c.isEmpty()) {
                return Optional.empty();
            }
            n = c.get();
        }
        return Optional.of(n);
    }

    /** A deep copy. */
    public Fdt copy() {
        return new Fdt(root.copy(), reservations, bootCpuidPhys);
    }
}
