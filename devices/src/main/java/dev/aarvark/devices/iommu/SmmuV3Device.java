package dev.aarvark.devices.iommu;

import dev.aarvark.devices.GuestError;
import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.IommuError;
import dev.aarvark.devices.IrqLine;
import dev.aarvark.devices.MmioDevice;
import dev.aarvark.devices.RegisterError;
import dev.aarvark.iommu.smmuv3.SmmuGuestError;
import dev.aarvark.iommu.smmuv3.SmmuInterrupt;
import dev.aarvark.iommu.smmuv3.SmmuV3;
import dev.aarvark.memory.PhysicalMemory;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * An {@link SmmuV3} on the board: its 128 KiB register block (IHI 0070 §6.1, page 0 and page 1) as
 * an MMIO device, each of its wired interrupts (eventq, priq, cmdq-sync, gerror) an edge on its own
 * {@link IrqLine}, its guest mistakes reported to the machine's {@link GuestErrorLog} under the name
 * {@code smmuv3}. vCPU thread only, as every MMIO device.
 */
public final class SmmuV3Device implements MmioDevice {
    /** The name in logs and guest errors. */
    public static final String NAME = "smmuv3";

    private final SmmuV3 smmu;

    /**
     * @param memory guest physical memory (the SMMU's tables and queues, and what streams reach)
     * @param lines  the interrupt line of each SMMU interrupt (a missing one is connected to nothing)
     * @param errors the machine's guest error log
     */
    public SmmuV3Device(PhysicalMemory memory, Map<SmmuInterrupt, IrqLine> lines, GuestErrorLog errors) {
        Objects.requireNonNull(errors, "errors");
        Map<SmmuInterrupt, IrqLine> wired = new EnumMap<>(SmmuInterrupt.class);
        wired.putAll(lines);
        this.smmu = new SmmuV3(memory, line -> {
            IrqLine l = wired.getOrDefault(line, IrqLine.NONE);
            l.set(true);
            l.set(false);
        }, (kind, detail) -> errors.report(NAME, kindOf(kind), detail));
    }

    private static GuestError kindOf(SmmuGuestError kind) {
        return switch (kind) {
            case READ_UNKNOWN -> RegisterError.READ_UNKNOWN;
            case WRITE_UNKNOWN -> RegisterError.WRITE_UNKNOWN;
            case WRITE_READ_ONLY, WRITE_WHILE_ENABLED -> RegisterError.WRITE_READ_ONLY;
            case BAD_WIDTH -> RegisterError.BAD_WIDTH;
            case ILLEGAL_COMMAND -> IommuError.ILLEGAL_COMMAND;
            case COMMAND_FETCH_ABORT -> IommuError.COMMAND_FETCH_ABORT;
            case EVENT_QUEUE_ABORT -> IommuError.EVENT_QUEUE_ABORT;
            case EVENT_QUEUE_OVERFLOW -> IommuError.EVENT_QUEUE_OVERFLOW;
        };
    }

    /** The model, for the streams behind it. */
    public SmmuV3 smmu() {
        return smmu;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long size() {
        return SmmuV3.SIZE;
    }

    @Override
    public long read(long offset, int size) {
        return smmu.read(offset, size);
    }

    @Override
    public void write(long offset, int size, long value) {
        smmu.write(offset, size, value);
    }
}
