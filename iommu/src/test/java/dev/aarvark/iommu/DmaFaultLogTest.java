package dev.aarvark.iommu;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DmaFaultLogTest {
    private static DmaFaultRecord fault(String device, int queue, long address, String cause) {
        return new DmaFaultRecord(DmaRequester.descriptor(device, queue, 0, 0), address, DmaFaultRecord.UNTRANSLATED,
                16, true, cause, null, true);
    }

    @Test
    void repeatsOfOneMistakeAreCountedOnceEachAndTalliedAtTheEnd() {
        DmaFaultLog log = new DmaFaultLog();
        for (int i = 0; i < 250; i++) {
            log.record(fault("virtio-net@a003e00", 0, 0x4031_0000L + i, "outside the DMA windows"));
        }
        log.record(fault("virtio-net@a003e00", 1, 0x4031_0000L, "outside the DMA windows"));
        log.record(fault("virtio-console@a003c00", 0, 0x4031_0000L, "not guest RAM"));
        assertEquals(252, log.total());
        assertEquals(Map.of("virtio-net@a003e00", 251L, "virtio-console@a003c00", 1L), log.faultsByDevice());
        List<String> lines = log.repeatLines();
        assertEquals(1, lines.size(), "only the repeated mistake has a tally: " + lines);
        assertTrue(lines.getFirst().startsWith("DMA fault: virtio-net@a003e00 queue 0 descriptor 0 buffer: DMA write of 16 bytes at 0x40310000 refused")
                && lines.getFirst().endsWith(": 250 times in all"), lines.getFirst());
    }

    @Test
    void theFirstFaultListenerHearsOnlyTheFirstRecord() {
        DmaFaultLog log = new DmaFaultLog();
        List<DmaFaultRecord> heard = new ArrayList<>();
        log.onFirstFault(heard::add);
        DmaFaultRecord first = fault("virtio-net@a003e00", 0, 0x1000, "not guest RAM");
        log.record(first);
        log.record(fault("virtio-net@a003e00", 0, 0x2000, "outside the DMA windows"));
        assertEquals(List.of(first), heard);
    }
}
