package dev.aarvark.iommu.policy;

import dev.aarvark.iommu.DmaFault;
import dev.aarvark.iommu.DmaFaultRecord;
import dev.aarvark.iommu.DmaFaultRecorder;
import dev.aarvark.iommu.DmaRequester;
import dev.aarvark.iommu.DmaSpace;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A host DMA policy for one device, as a decorator of the device's path to RAM (a
 * {@link dev.aarvark.iommu.BypassDmaSpace}): an access is allowed only if the device's driver has
 * made it ready ({@link #driverReady}) and every byte of it lies in the union of the device's
 * {@link DmaWindow}s, with write permission for a write. Anything else is recorded (cause
 * {@link #OUTSIDE_WINDOWS} or {@link #BEFORE_READY}) and, under {@link DmaPolicy#STRICT}, refused
 * with a {@link DmaFault} before the inner space is touched, so RAM is unchanged; under
 * {@link DmaPolicy#PERMISSIVE} it goes through.
 *
 * <p>This is the protection the BOOTINFO report asks for from a guest that programs no IOMMU: the
 * device may reach only the frames its driver handed it, and nothing before DRIVER_OK (the
 * early-kick window). vCPU thread only.
 */
public final class HostPolicyDmaSpace implements DmaSpace {
    /** Cause of an access outside every window of the device. */
    public static final String OUTSIDE_WINDOWS = "outside the DMA windows";
    /** Cause of an access before the driver made the device ready. */
    public static final String BEFORE_READY = "before DRIVER_OK";

    private final DmaSpace inner;
    private final String label;
    private final DmaPolicy policy;
    private final DmaWindow[] windows;
    private final DmaFaultRecorder recorder;
    private final String windowText;
    private boolean ready;

    /**
     * @param inner    the device's path to RAM, which does the access when it is allowed
     * @param label    the device as the user named it in {@code --dma-window} (e.g. "virtio-net0")
     * @param policy   refuse or only flag
     * @param windows  the ranges the device may reach (none: every access is outside)
     * @param recorder where each violation is recorded
     */
    public HostPolicyDmaSpace(DmaSpace inner, String label, DmaPolicy policy, List<DmaWindow> windows,
                              DmaFaultRecorder recorder) {
        this.inner = inner;
        this.label = label;
        this.policy = policy;
        this.windows = windows.toArray(DmaWindow[]::new);
        this.recorder = recorder;
        this.windowText = windows.isEmpty() ? label + " has no DMA window"
                : label + " may use " + windows.stream().map(DmaWindow::toString).collect(Collectors.joining(", "));
    }

    @Override
    public void driverReady(boolean ready) {
        this.ready = ready;
        inner.driverReady(ready);
    }

    /** Records a violation and, when strict, refuses the access; returns normally when it may go ahead. */
    private void check(long address, long len, boolean write, DmaRequester who) {
        String cause = !ready ? BEFORE_READY : covered(address, len, write) ? null : OUTSIDE_WINDOWS;
        if (cause == null) {
            return;
        }
        String detail = cause == BEFORE_READY ? label + "'s driver has not set DRIVER_OK" : windowText;
        boolean refuse = policy == DmaPolicy.STRICT;
        recorder.record(new DmaFaultRecord(who, address, DmaFaultRecord.UNTRANSLATED, len, write, cause, detail, refuse));
        if (refuse) {
            throw new DmaFault(address, len, write, who, cause + " (" + detail + ")");
        }
    }

    /** True if every byte of {@code [address, address + len)} lies in a window that allows the access. */
    private boolean covered(long address, long len, boolean write) {
        if (len <= 0) {
            return len == 0;
        }
        long cursor = address;
        long remaining = len;
        while (remaining > 0) {
            DmaWindow w = windowAt(cursor, write);
            if (w == null) {
                return false;
            }
            long inWindow = w.end() - cursor; // 0 means "to 2^64"
            if (inWindow == 0 || Long.compareUnsigned(inWindow, remaining) >= 0) {
                return true;
            }
            cursor += inWindow;
            remaining -= inWindow;
        }
        return true;
    }

    private DmaWindow windowAt(long address, boolean write) {
        for (DmaWindow w : windows) {
            if (w.contains(address) && (w.writable() || !write)) {
                return w;
            }
        }
        return null;
    }

    @Override
    public void read(long address, byte[] dst, int off, int len, DmaRequester who) {
        check(address, len, false, who);
        inner.read(address, dst, off, len, who);
    }

    @Override
    public void write(long address, byte[] src, int off, int len, DmaRequester who) {
        check(address, len, true, who);
        inner.write(address, src, off, len, who);
    }

    @Override
    public int readShort(long address, DmaRequester who) {
        check(address, 2, false, who);
        return inner.readShort(address, who);
    }

    @Override
    public int readInt(long address, DmaRequester who) {
        check(address, 4, false, who);
        return inner.readInt(address, who);
    }

    @Override
    public long readLong(long address, DmaRequester who) {
        check(address, 8, false, who);
        return inner.readLong(address, who);
    }

    @Override
    public void writeShort(long address, int value, DmaRequester who) {
        check(address, 2, true, who);
        inner.writeShort(address, value, who);
    }

    @Override
    public void writeInt(long address, int value, DmaRequester who) {
        check(address, 4, true, who);
        inner.writeInt(address, value, who);
    }

    @Override
    public void writeLong(long address, long value, DmaRequester who) {
        check(address, 8, true, who);
        inner.writeLong(address, value, who);
    }
}
