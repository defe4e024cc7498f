package dev.aarvark.emulator.board;

/**
 * An interrupt a board device raises, as the {@code virt} board wires it and its device tree
 * describes it: a shared peripheral interrupt (SPI n, INTID 32 + n) or a private peripheral
 * interrupt (PPI n, INTID 16 + n), with the trigger the tree gives (GIC binding
 * {@code arm,gic.yaml}: first cell 0 = SPI, 1 = PPI; third cell 1 = edge rising, 4 = level high;
 * Arm GIC IHI 0069 §2.2 for the INTID ranges).
 *
 * @param type    SPI or PPI
 * @param number  the number within its type, as the device tree's second cell gives it
 * @param trigger how the line signals
 */
public record Interrupt(Type type, int number, Trigger trigger) {
    /** SPI or PPI: where its INTIDs start and the device tree's first cell. */
    public enum Type {
        SPI(32, 0, 988),
        PPI(16, 1, 16);

        private final int firstIntid;
        private final int treeCell;
        private final int count;

        Type(int firstIntid, int treeCell, int count) {
            this.firstIntid = firstIntid;
            this.treeCell = treeCell;
            this.count = count;
        }

        /** The device tree's first interrupt cell for this type. */
        public int treeCell() {
            return treeCell;
        }
    }

    /** The trigger, with its device tree flag bits. */
    public enum Trigger {
        EDGE_RISING(1),
        LEVEL_HIGH(4);

        private final int treeFlags;

        Trigger(int treeFlags) {
            this.treeFlags = treeFlags;
        }

        /** The device tree's third interrupt cell for this trigger (before any CPU mask). */
        public int treeFlags() {
            return treeFlags;
        }
    }

    public Interrupt {
        java.util.Objects.requireNonNull(type, "type");
        java.util.Objects.requireNonNull(trigger, "trigger");
        if (number < 0 || number >= type.count) {
            throw new IllegalArgumentException(type + " " + number + " is outside 0.." + (type.count - 1));
        }
    }

    /** SPI {@code n}. */
    public static Interrupt spi(int n, Trigger trigger) {
        return new Interrupt(Type.SPI, n, trigger);
    }

    /** PPI {@code n}. */
    public static Interrupt ppi(int n, Trigger trigger) {
        return new Interrupt(Type.PPI, n, trigger);
    }

    /** The GIC interrupt ID. */
    public int intid() {
        return type.firstIntid + number;
    }

    @Override
    public String toString() {
        return type + " " + number + " (INTID " + intid() + ", " + trigger.name().toLowerCase().replace('_', '-') + ")";
    }
}
