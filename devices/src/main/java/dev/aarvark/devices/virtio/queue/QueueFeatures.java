package dev.aarvark.devices.virtio.queue;

import dev.aarvark.devices.virtio.VirtioFeature;

/**
 * The negotiated features that change how a split virtqueue behaves.
 *
 * @param indirectDesc  VIRTIO_F_INDIRECT_DESC: descriptors may refer to indirect tables (§2.7.5.3)
 * @param eventIdx      VIRTIO_F_EVENT_IDX: used_event and avail_event suppress notifications (§2.7.7, §2.7.10)
 * @param notifyOnEmpty VIRTIO_F_NOTIFY_ON_EMPTY (legacy, §6.3): notify when the available ring runs empty
 */
public record QueueFeatures(boolean indirectDesc, boolean eventIdx, boolean notifyOnEmpty) {
    /** The queue features within a negotiated feature set. */
    public static QueueFeatures of(long negotiated) {
        return new QueueFeatures(VirtioFeature.has(negotiated, VirtioFeature.INDIRECT_DESC),
                VirtioFeature.has(negotiated, VirtioFeature.EVENT_IDX),
                VirtioFeature.has(negotiated, VirtioFeature.NOTIFY_ON_EMPTY));
    }
}
