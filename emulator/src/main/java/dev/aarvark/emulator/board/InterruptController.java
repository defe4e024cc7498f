package dev.aarvark.emulator.board;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.IrqLine;
import dev.aarvark.devices.gic.CpuInterruptSignals;
import dev.aarvark.devices.gic.GicConfig;
import dev.aarvark.devices.gic.GicCore;
import dev.aarvark.devices.gic.GicV2CpuInterface;
import dev.aarvark.devices.gic.GicV2Distributor;
import dev.aarvark.devices.gic.GicV3CpuInterface;
import dev.aarvark.devices.gic.GicV3Distributor;
import dev.aarvark.devices.gic.GicV3Redistributor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The board's interrupt controller: a GICv2 (distributor and memory-mapped CPU interface) or a
 * GICv3 (distributor, one redistributor, and the system-register CPU interface) over one
 * {@link GicCore}, mapped at the board table's addresses, with QEMU {@code virt}'s configuration
 * (Arm GIC IHI 0048 for v2, IHI 0069 for v3). Devices get their input lines here, by the
 * {@link Interrupt} of their table line, and each connection is recorded.
 *
 * <p>One CPU today: the core has one output, the CPU's virtual interrupt lines. vCPU thread only.
 */
public final class InterruptController {
    /** A device's connection to a GIC input: the device's name and the INTID its line drives. */
    public record Connection(String device, int intid) {
    }

    private final GicCore core;
    private final GicV3CpuInterface cpuInterface;
    private final List<Connection> connections = new ArrayList<>();

    private InterruptController(GicCore core, GicV3CpuInterface cpuInterface) {
        this.core = core;
        this.cpuInterface = cpuInterface;
    }

    /**
     * Builds the GIC of {@code version} signalling {@code cpu}, and maps its memory-mapped parts on
     * {@code bus} at the board's addresses.
     */
    public static InterruptController wire(GicVersion version, CpuInterruptSignals cpu, GuestErrorLog errors, MmioBus bus) {
        boolean v3 = version == GicVersion.V3;
        GicCore core = new GicCore(v3 ? GicConfig.qemuVirtV3(1) : GicConfig.qemuVirtV2(1), List.of(cpu), errors);
        if (v3) {
            bus.map(VirtBoard.GIC_DIST, new GicV3Distributor("gicv3-dist", core));
            bus.map(VirtBoard.GIC_REDIST, new GicV3Redistributor("gicv3-redist", core, 0));
            return new InterruptController(core, new GicV3CpuInterface("gicv3-cpuif", core, 0));
        }
        bus.map(VirtBoard.GIC_DIST, new GicV2Distributor("gicv2-dist", core, () -> 0));
        bus.map(VirtBoard.GIC_CPU, new GicV2CpuInterface("gicv2-cpu", core, () -> 0));
        return new InterruptController(core, null);
    }

    /** The input line that raises {@code irq}, handed to {@code device} (recorded). */
    public IrqLine line(String device, Interrupt irq) {
        connections.add(new Connection(device, irq.intid()));
        return core.lineFor(irq.intid());
    }

    /** The GIC state shared by its front ends. */
    public GicCore core() {
        return core;
    }

    /** The GICv3 CPU interface (system registers), or empty under GICv2. */
    public Optional<GicV3CpuInterface> systemRegisterInterface() {
        return Optional.ofNullable(cpuInterface);
    }

    /** Every line handed out so far. */
    public List<Connection> connections() {
        return Collections.unmodifiableList(connections);
    }
}
