package dev.aarvark.cli;

import dev.aarvark.emulator.MachineConfigException;
import dev.aarvark.emulator.board.GicVersion;

/** The command line's names for the parts of a machine description, and the options several commands share. */
final class Flags {
    private Flags() {
    }

    /** The flag that sets {@code field}. */
    static String of(MachineConfigException.Field field) {
        return switch (field) {
            case CPU -> "--cpu";
            case MEMORY -> "--memory";
            case PREEMPT -> "--preempt";
            case VIRTIO_VERSION -> "--virtio-version";
            case CONSOLE_PORTS -> "--hvc/--port";
            case DMA_WINDOW -> "--dma-window";
        };
    }

    /** The one-line message for a machine description the emulator refused: "--cpu max: not offered: ...". */
    static String message(MachineConfigException e) {
        return of(e.field()) + " " + e.value() + ": " + e.reason();
    }

    /** {@code --gic}: 2 or 3. */
    static GicVersion gic(String text) {
        return switch (text) {
            case "2" -> GicVersion.V2;
            case "3" -> GicVersion.V3;
            default -> throw new IllegalArgumentException("--gic " + text + ": use 2 or 3");
        };
    }
}
