package dev.aarvark.emulator.board;

import java.util.List;
import java.util.Objects;

/**
 * One memory-mapped device of the {@code virt} board, as a line of the board table
 * ({@link VirtBoard}): where its registers are, what it raises, and how the device tree names and
 * describes it. The machine maps and wires the device from this line, and the generated device tree
 * lists it from the same line, so the two cannot disagree.
 *
 * <p>Invariants: {@code size} is positive; {@code compatible} is non-empty; the lists are
 * unmodifiable.
 *
 * @param nodeName    the device tree node's name before the unit address, e.g. {@code "pl011"}
 * @param base        guest physical address of the registers
 * @param size        size of the register block in bytes
 * @param interrupts  what the device raises, in the order of its {@code interrupts} property
 * @param compatible  the node's {@code compatible} strings, most specific first
 * @param clockNames  the node's {@code clock-names}, each fed by the board's one 24 MHz APB clock
 *                    (empty: no {@code clocks} property)
 * @param dmaCoherent whether the node says {@code dma-coherent} (the device's DMA needs no cache
 *                    maintenance)
 */
public record BoardDevice(String nodeName, long base, long size, List<Interrupt> interrupts, List<String> compatible,
                          List<String> clockNames, boolean dmaCoherent) {
    public BoardDevice {
        Objects.requireNonNull(nodeName, "nodeName");
        if (size <= 0) {
            throw new IllegalArgumentException(nodeName + ": size must be positive");
        }
        interrupts = List.copyOf(interrupts);
        compatible = List.copyOf(compatible);
        clockNames = List.copyOf(clockNames);
        if (compatible.isEmpty()) {
            throw new IllegalArgumentException(nodeName + ": no compatible string");
        }
    }

    /** The device tree node's name with its unit address, e.g. {@code "pl011@9000000"}. */
    public String unitName() {
        return nodeName + "@" + Long.toHexString(base);
    }

    /** The device's one interrupt (for a device that has exactly one). */
    public Interrupt interrupt() {
        if (interrupts.size() != 1) {
            throw new IllegalStateException(unitName() + " has " + interrupts.size() + " interrupts");
        }
        return interrupts.getFirst();
    }
}
