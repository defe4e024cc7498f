package dev.aarvark.devices.virtio.mmio;

import dev.aarvark.devices.virtio.DriverSession;
import dev.aarvark.devices.virtio.VirtioDevice;
import dev.aarvark.devices.virtio.queue.DescriptorChain;
import dev.aarvark.devices.virtio.queue.SplitVirtqueue;

import java.util.ArrayList;
import java.util.List;

/**
 * A device for transport tests: it records what the transport tells it and, on a notification,
 * returns every available chain at once (used length 0) and asks for a used buffer notification.
 */
final class RecordingDevice implements VirtioDevice {
    static final int ID = 18;
    static final long FEATURES = 1L << 0 | 1L << 5;
    static final int[] MAX_SIZES = {8, 16, 4};

    final byte[] config = {1, 2, 3, 4, 5, 6, 7, 8};
    final List<Integer> notified = new ArrayList<>();
    DriverSession session;
    int activations;
    int resets;

    @Override
    public int deviceId() {
        return ID;
    }

    @Override
    public long deviceFeatures() {
        return FEATURES;
    }

    @Override
    public int queueCount() {
        return MAX_SIZES.length;
    }

    @Override
    public int queueMaxSize(int queue) {
        return MAX_SIZES[queue];
    }

    @Override
    public int configSize() {
        return config.length;
    }

    @Override
    public int readConfig(int offset, int size) {
        int v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = v << 8 | (config[offset + i] & 0xFF);
        }
        return v;
    }

    @Override
    public void writeConfig(int offset, int size, int value) {
        for (int i = 0; i < size; i++) {
            config[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    @Override
    public void activate(DriverSession s) {
        session = s;
        activations++;
    }

    @Override
    public void queueNotified(int queue) {
        notified.add(queue);
        SplitVirtqueue q = session.queue(queue);
        DescriptorChain c;
        while ((c = q.pop()) != null) {
            q.complete(c, 0);
        }
        session.notifyUsed(queue);
    }

    @Override
    public void reset() {
        resets++;
        session = null;
    }

    @Override
    public boolean hasDeferredWork() {
        return false;
    }

    @Override
    public void runDeferredWork() {
    }
}
