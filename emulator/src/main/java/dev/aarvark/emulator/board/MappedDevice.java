package dev.aarvark.emulator.board;

import dev.aarvark.devices.MmioDevice;
import dev.aarvark.emulator.cpu.unicorn.Unicorn;

/**
 * A device's register block as the board maps it into libunicorn: the one adapter from
 * {@link MmioDevice} to {@link Unicorn.MmioHandler}, and the one place an MMIO access is counted
 * (devices count what they do, not how often they are accessed).
 *
 * <p>Called on the vCPU thread only; the counts are read there or after the run.
 */
public final class MappedDevice implements Unicorn.MmioHandler {
    private final MmioDevice device;
    private long reads;
    private long writes;

    public MappedDevice(MmioDevice device) {
        this.device = device;
    }

    public MmioDevice device() {
        return device;
    }

    @Override
    public long read(long offset, int size) {
        reads++;
        return device.read(offset, size);
    }

    @Override
    public void write(long offset, int size, long value) {
        writes++;
        device.write(offset, size, value);
    }

    /** Reads so far. */
    public long reads() {
        return reads;
    }

    /** Writes so far. */
    public long writes() {
        return writes;
    }
}
