package dev.aarvark.emulator.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The edits QEMU's {@code arm_load_dtb} ({@code hw/arm/boot.c}) makes to every device tree it hands
 * to a directly booted kernel, whether the board generated the tree or the user gave {@code -dtb}:
 *
 * <ol>
 *   <li>the root's {@code #address-cells} and {@code #size-cells} must be present and non-zero;</li>
 *   <li>every root node named {@code memory} or {@code memory@...} is removed and one
 *       {@code /memory@<base>} ({@code reg}, {@code device_type = "memory"}) describing guest RAM is
 *       inserted as the root's first child;</li>
 *   <li>{@code /chosen} is created if missing; {@code bootargs} is set when the command line is
 *       non-empty; {@code linux,initrd-start} and {@code linux,initrd-end} are set when an initrd
 *       was loaded (one cell when both fit in 32 bits, as QEMU 7.2 writes them, else two);</li>
 *   <li>any {@code /psci} node is replaced by one describing aarvark's PSCI, which is QEMU's: PSCI
 *       1.0 over {@code hvc} with the SMC64 function IDs.</li>
 * </ol>
 *
 * New properties and nodes go first, where libfdt inserts them, and existing properties are
 * replaced in place, so an edited tree decompiles in QEMU's order. Properties QEMU would leave alone
 * (e.g. a stale {@code linux,initrd-start} in a user tree booted without an initrd) are left alone.
 */
final class QemuDtbFixups {
    /** PSCI 0.2 {@code CPU_SUSPEND}, SMC64 calling convention. */
    static final int PSCI_FN64_CPU_SUSPEND = 0xc400_0001;
    /** PSCI 0.2 {@code CPU_OFF}. */
    static final int PSCI_FN_CPU_OFF = 0x8400_0002;
    /** PSCI 0.2 {@code CPU_ON}, SMC64. */
    static final int PSCI_FN64_CPU_ON = 0xc400_0003;
    /** PSCI 0.2 {@code MIGRATE}, SMC64. */
    static final int PSCI_FN64_MIGRATE = 0xc400_0005;

    private QemuDtbFixups() {
    }

    static void apply(Fdt fdt, String source, long ramBase, long ramSize, String bootargs,
                      Optional<PhysicalRange> initrd) {
        FdtNode root = fdt.root();
        int acells = rootCells(root, "#address-cells", source);
        int scells = rootCells(root, "#size-cells", source);

        List<String> memoryNodes = new ArrayList<>();
        for (FdtNode c : root.children()) {
            if (c.unitName().equals("memory")) {
                memoryNodes.add(c.name());
            }
        }
        memoryNodes.forEach(root::removeChild);
        int[] reg = concat(sized(ramBase, acells, "RAM base", source), sized(ramSize, scells, "RAM size", source));
        root.addChildFirst("memory@" + Long.toHexString(ramBase))
                .cells("reg", reg)
                .string("device_type", "memory");

        FdtNode chosen = root.child("chosen").orElseGet(() -> root.addChildFirst("chosen"));
        if (!bootargs.isEmpty()) {
            chosen.putFirst(FdtProperty.string("bootargs", bootargs));
        }
        initrd.ifPresent(r -> {
            chosen.putFirst(number("linux,initrd-start", r.start()));
            chosen.putFirst(number("linux,initrd-end", r.end()));
        });

        root.removeChild("psci");
        root.addChildFirst("psci")
                .u32("migrate", PSCI_FN64_MIGRATE)
                .u32("cpu_on", PSCI_FN64_CPU_ON)
                .u32("cpu_off", PSCI_FN_CPU_OFF)
                .u32("cpu_suspend", PSCI_FN64_CPU_SUSPEND)
                .string("method", "hvc")
                .strings("compatible", "arm,psci-1.0", "arm,psci-0.2", "arm,psci");
    }

    /** Checks the root has usable {@code #address-cells} and {@code #size-cells} (1 or 2 each). */
    static void requireRootCells(Fdt fdt, String source) {
        rootCells(fdt.root(), "#address-cells", source);
        rootCells(fdt.root(), "#size-cells", source);
    }

    private static int rootCells(FdtNode root, String name, String source) {
        FdtProperty p = root.property(name)
                .orElseThrow(() -> new FdtFormatException(source, "the root node has no " + name));
        int v;
        try {
            v = p.asU32();
        } catch (FdtPropertyTypeException e) {
            throw new FdtFormatException(source, "root " + e.getMessage());
        }
        if (v != 1 && v != 2) {
            throw new FdtFormatException(source, "root " + name + " is " + v + "; only 1 or 2 can describe RAM");
        }
        return v;
    }

    private static FdtProperty number(String name, long value) {
        return (value >>> 32) == 0 ? FdtProperty.u32(name, (int) value) : FdtProperty.u64(name, value);
    }

    private static int[] sized(long value, int cells, String what, String source) {
        if (cells == 1) {
            if ((value >>> 32) != 0) {
                throw new FdtFormatException(source, what + " " + Hex.of(value) + " does not fit the root's single cell");
            }
            return new int[] {(int) value};
        }
        return new int[] {(int) (value >>> 32), (int) value};
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = new int[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
