package dev.aarvark.devices.virtio.mmio;

import dev.aarvark.devices.virtio.queue.QueueLayout;

/**
 * The configuration registers of one virtqueue as the driver wrote them (virtio 1.2 §4.2.2:
 * QueueNum, QueueReady, QueueDesc/Driver/Device Low/High; §4.2.4 legacy: QueueNum, QueueAlign,
 * QueuePFN), and the layout accepted when the driver enabled the queue.
 *
 * <p>Invariant: {@link #layout()} is non-null exactly while the queue is enabled (QueueReady 1, or a
 * non-zero QueuePFN), and it was validated when the queue was enabled. After reset QueueNum reads as
 * QueueNumMax (QEMU's default queue size) and everything else is 0.
 */
final class QueueRegisters {
    final int maxSize;
    int num;
    long desc;
    long driver;
    long device;
    int align = QueueLayout.LEGACY_DEFAULT_ALIGN;
    long pfn;
    private QueueLayout layout;

    QueueRegisters(int maxSize) {
        this.maxSize = maxSize;
        this.num = maxSize;
    }

    boolean enabled() {
        return layout != null;
    }

    QueueLayout layout() {
        return layout;
    }

    void enable(QueueLayout accepted) {
        layout = accepted;
    }

    void disable() {
        layout = null;
        pfn = 0;
    }

    static long setLow(long value, int low) {
        return (value & 0xFFFF_FFFF_0000_0000L) | (low & 0xFFFF_FFFFL);
    }

    static long setHigh(long value, int high) {
        return (value & 0xFFFF_FFFFL) | ((long) high << 32);
    }

    void reset() {
        num = maxSize;
        desc = 0;
        driver = 0;
        device = 0;
        align = QueueLayout.LEGACY_DEFAULT_ALIGN;
        pfn = 0;
        layout = null;
    }
}
