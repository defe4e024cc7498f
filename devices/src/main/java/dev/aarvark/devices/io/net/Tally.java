package dev.aarvark.devices.io.net;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The live counters behind {@link FrameCounters}: some are counted on the vCPU thread (sends,
 * deliveries), some on the event loop (what is dropped as it is read), so each is atomic.
 */
final class Tally {
    final AtomicLong txFrames = new AtomicLong();
    final AtomicLong txBytes = new AtomicLong();
    final AtomicLong txFull = new AtomicLong();
    final AtomicLong txNoPeer = new AtomicLong();
    final AtomicLong txFailed = new AtomicLong();
    final AtomicLong rxFrames = new AtomicLong();
    final AtomicLong rxBytes = new AtomicLong();
    final AtomicLong rxEmpty = new AtomicLong();
    final AtomicLong rxOversize = new AtomicLong();
    final AtomicLong rxForeign = new AtomicLong();
    final AtomicLong peersRefused = new AtomicLong();

    FrameCounters snapshot() {
        return new FrameCounters(txFrames.get(), txBytes.get(), txFull.get(), txNoPeer.get(), txFailed.get(),
                rxFrames.get(), rxBytes.get(), rxEmpty.get(), rxOversize.get(), rxForeign.get(), peersRefused.get());
    }
}
