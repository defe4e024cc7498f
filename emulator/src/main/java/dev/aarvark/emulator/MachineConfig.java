package dev.aarvark.emulator;

import dev.aarvark.devices.io.ByteSink;
import dev.aarvark.emulator.board.GicVersion;
import dev.aarvark.emulator.cpu.CpuModel;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything needed to build one {@code virt} machine: what the command line parsed, already
 * validated for form (sizes, names). Files are checked when the machine loads them.
 *
 * @param cpu          the CPU model
 * @param ramBytes     RAM size (a multiple of 4 KiB, at most {@code VirtBoard.RAM_MAX})
 * @param kernel       the kernel: ELF, Linux arm64 Image or raw binary
 * @param initrd       initial ramdisk, or null
 * @param append       kernel command line ("" for none)
 * @param dtb          a device tree to use instead of the generated one, or null
 * @param semihosting  serve {@code HLT #0xF000} semihosting calls
 * @param preempt      preemption strategy choice
 * @param console      where guest console output (UART, semihosting) goes
 * @param gic          the interrupt controller: GICv2 (QEMU's default) or GICv3
 * @param virtioConsole a virtio-console device, or null
 * @param nics         the virtio-net cards, in slot order after the console (QEMU's order)
 * @param dma          how devices reach RAM: bypass or a host DMA policy, and fail-on-fault
 */
public record MachineConfig(CpuModel cpu, long ramBytes, Path kernel, Path initrd, String append, Path dtb,
                            boolean semihosting, PreemptMode preempt, ByteSink console, GicVersion gic,
                            VirtioConsoleConfig virtioConsole, List<NicConfig> nics, DmaConfig dma) {
    /** A machine whose devices reach RAM directly (no DMA policy). */
    public MachineConfig(CpuModel cpu, long ramBytes, Path kernel, Path initrd, String append, Path dtb,
                         boolean semihosting, PreemptMode preempt, ByteSink console, GicVersion gic,
                         VirtioConsoleConfig virtioConsole, List<NicConfig> nics) {
        this(cpu, ramBytes, kernel, initrd, append, dtb, semihosting, preempt, console, gic, virtioConsole, nics,
                DmaConfig.BYPASS);
    }

    /** A machine without network cards. */
    public MachineConfig(CpuModel cpu, long ramBytes, Path kernel, Path initrd, String append, Path dtb,
                         boolean semihosting, PreemptMode preempt, ByteSink console, GicVersion gic,
                         VirtioConsoleConfig virtioConsole) {
        this(cpu, ramBytes, kernel, initrd, append, dtb, semihosting, preempt, console, gic, virtioConsole, List.of());
    }

    /** A machine without virtio devices. */
    public MachineConfig(CpuModel cpu, long ramBytes, Path kernel, Path initrd, String append, Path dtb,
                         boolean semihosting, PreemptMode preempt, ByteSink console, GicVersion gic) {
        this(cpu, ramBytes, kernel, initrd, append, dtb, semihosting, preempt, console, gic, null);
    }

    /** The {@code --preempt} choices. */
    public enum PreemptMode {
        /** Run the self-test and use kicks when it passes, else count slices. */
        AUTO,
        /** Always count slices. */
        COUNT,
        /** Kicks; refuse to start if the self-test fails or the library is not the pinned build. */
        KICK
    }

    /** Default RAM: 512 MiB, as the reference runs of QEMU use. */
    public static final long DEFAULT_RAM = 512L << 20;

    public MachineConfig {
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(preempt, "preempt");
        Objects.requireNonNull(console, "console");
        Objects.requireNonNull(gic, "gic");
        append = append == null ? "" : append;
        nics = nics == null ? List.of() : List.copyOf(nics);
        dma = dma == null ? DmaConfig.BYPASS : dma;
    }
}
