package dev.aarvark.emulator.board;

import dev.aarvark.devices.MmioDevice;

/**
 * One page-aligned MMIO window holding several devices smaller than a page, such as the
 * {@code virt} board's virtio-mmio transports (0x200 bytes each, 32 in 0x4000). libunicorn maps
 * MMIO only in whole 4 KiB pages, so the board maps the window once and this class routes each
 * access to the device whose range holds it. Invariant: devices are equal-sized and tile the
 * window from its start; an access that would straddle two devices cannot happen (they are
 * naturally aligned and accesses are at most 8 bytes, split by libunicorn into 4-byte halves).
 */
public final class SubPageDevices implements MmioDevice {
    private final String name;
    private final MmioDevice[] devices;
    private final long stride;

    /**
     * @param name    the window's name (its accesses are counted under it)
     * @param devices the devices, in address order; all of the same {@link MmioDevice#size()}
     */
    public SubPageDevices(String name, MmioDevice... devices) {
        this.name = name;
        if (devices.length == 0) {
            throw new IllegalArgumentException("no devices");
        }
        this.stride = devices[0].size();
        for (MmioDevice d : devices) {
            if (d.size() != stride) {
                throw new IllegalArgumentException("device " + d.name() + " is not " + stride + " bytes");
            }
        }
        this.devices = devices.clone();
    }

    @Override
    public String name() {
        return name;
    }

    /** The window's size, rounded up to whole pages. */
    @Override
    public long size() {
        return (devices.length * stride + 0xfff) & ~0xfffL;
    }

    /** How many devices the window holds. */
    public int count() {
        return devices.length;
    }

    /** The device at {@code index}. */
    public MmioDevice device(int index) {
        return devices[index];
    }

    @Override
    public long read(long offset, int size) {
        int i = (int) (offset / stride);
        return i < devices.length ? devices[i].read(offset % stride, size) : 0;
    }

    @Override
    public void write(long offset, int size, long value) {
        int i = (int) (offset / stride);
        if (i < devices.length) {
            devices[i].write(offset % stride, size, value);
        }
    }
}
