/**
 * The Arm Generic Interrupt Controller of QEMU's {@code virt} board: one {@link
 * dev.aarvark.devices.gic.GicCore} holding the interrupt state machines, with a GICv2 (IHI 0048B)
 * or a GICv3 (IHI 0069) register front end.
 *
 * <h2>Wiring a board</h2>
 * <pre>{@code
 * // GICv2 (QEMU's default; seL4's qemu-arm-virt hard-codes it)
 * GicCore gic = new GicCore(GicConfig.qemuVirtV2(1), List.of(signals), guestErrors);
 * map(0x0800_0000, new GicV2Distributor(gic));        // GicV2Distributor.SIZE = 64 KiB
 * map(0x0801_0000, new GicV2CpuInterface(gic));       // GicV2CpuInterface.SIZE = 64 KiB
 *
 * // GICv3
 * GicCore gic = new GicCore(GicConfig.qemuVirtV3(1), List.of(signals), guestErrors);
 * map(0x0800_0000, new GicV3Distributor(gic));                       // 64 KiB
 * map(0x080A_0000 + n * 0x2_0000, new GicV3Redistributor(gic, n));  // 128 KiB per CPU n
 * GicV3Registers.register(sysregs, new GicV3CpuInterface(gic, 0)); // emulator: ICC_*_EL1
 *
 * // either: device inputs and the CPU side
 * uart = new Pl011("pl011", gic.lineFor(32 + 1), console, guestErrors); // SPI 1 = INTID 33
 * timer = new GenericTimer(counter, gic.lineFor(30), gic.lineFor(27));
 * signals.irq(level) -> HCR_EL2.VI, signals.fiq(level) -> HCR_EL2.VF
 * WFI returns when gic.wakeupPending()
 * }</pre>
 * A GIC with more than one CPU needs the accessing vCPU's index for the GICv2 register blocks
 * (the constructors that take an {@code IntSupplier}).
 *
 * <h2>Threading</h2>
 * Everything runs on the vCPU thread; nothing here locks or starts threads.
 */
package dev.aarvark.devices.gic;
