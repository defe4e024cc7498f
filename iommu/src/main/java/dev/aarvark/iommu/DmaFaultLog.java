package dev.aarvark.iommu;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The machine's DMA fault records, as a person reads them: one {@code aarvark.dma} log line (a
 * warning, "DMA fault: " and {@link DmaFaultRecord#describe()}) the first time a mistake is seen, where a mistake is one device, queue, direction and
 * cause; repeats of it are counted, not logged, except at the 10th, 100th, 1000th ... so a guest
 * that faults in a loop cannot flood the log; {@link #repeatLines()} gives the final tallies for the
 * run summary, and {@link #faultsByDevice()} the count per device.
 *
 * <p>An optional first-fault listener sees the first record of the run (how {@code
 * --fail-on-dma-fault} ends a run). Memory is bounded by the number of distinct mistakes, which is
 * at most devices x queues x 2 x causes. vCPU thread only.
 */
public final class DmaFaultLog implements DmaFaultRecorder {
    /** The logger name of DMA fault lines; users filter on it. */
    public static final String LOGGER = "aarvark.dma";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private record Key(String device, int queue, boolean write, String cause, boolean refused) { }

    private static final class Tally {
        final DmaFaultRecord first;
        long count;

        Tally(DmaFaultRecord first) {
            this.first = first;
        }
    }

    private final Map<Key, Tally> tallies = new LinkedHashMap<>();
    private final Map<String, Long> byDevice = new LinkedHashMap<>();
    private Consumer<DmaFaultRecord> firstFaultListener = f -> { };
    private long total;

    /** {@code listener} is called once, with the first record of the run. */
    public void onFirstFault(Consumer<DmaFaultRecord> listener) {
        this.firstFaultListener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void record(DmaFaultRecord fault) {
        total++;
        byDevice.merge(fault.device(), 1L, Long::sum);
        Key key = new Key(fault.device(), fault.requester().queue(), fault.write(), fault.cause(), fault.refused());
        Tally t = tallies.computeIfAbsent(key, k -> new Tally(fault));
        t.count++;
        if (t.count == 1) {
            LOG.warn("DMA fault: {}", fault.describe());
        } else if (isPowerOfTen(t.count)) {
            LOG.warn("DMA fault: {} ({} times so far; this one: {})", t.first.describe(), t.count,
                    String.format("0x%x, %d bytes", fault.address(), fault.length()));
        }
        if (total == 1) {
            firstFaultListener.accept(fault);
        }
    }

    private static boolean isPowerOfTen(long n) {
        while (n >= 10 && n % 10 == 0) {
            n /= 10;
        }
        return n == 1;
    }

    /** Records so far. */
    public long total() {
        return total;
    }

    /** Records so far per device name (as {@link DmaRequester#device()} gives it), in order of first fault. */
    public Map<String, Long> faultsByDevice() {
        return Map.copyOf(byDevice);
    }

    /** One line per mistake that happened more than once: the first record and how many times it happened. */
    public List<String> repeatLines() {
        List<String> lines = new ArrayList<>();
        for (Tally t : tallies.values()) {
            if (t.count > 1) {
                lines.add("DMA fault: " + t.first.describe() + ": " + t.count + " times in all");
            }
        }
        return lines;
    }
}
