package dev.aarvark.emulator.board;

import dev.aarvark.devices.MmioDevice;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The board's one MMIO adapter: every access reaches the device once and is counted once. */
class MappedDeviceTest {
    /** A 0x200-byte device that records what reached it and reads back its offset. */
    private static final class Recording implements MmioDevice {
        final String name;
        final List<String> seen = new ArrayList<>();

        Recording(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long size() {
            return 0x200;
        }

        @Override
        public long read(long offset, int size) {
            seen.add("r" + offset + "/" + size);
            return offset;
        }

        @Override
        public void write(long offset, int size, long value) {
            seen.add("w" + offset + "/" + size + "=" + value);
        }
    }

    @Test
    void everyAccessReachesTheDeviceOnceAndIsCounted() {
        Recording d = new Recording("dev");
        MappedDevice m = new MappedDevice(d);
        assertEquals(0x10, m.read(0x10, 4));
        m.read(0x1ff0, 4); // outside the registers: still the device's to answer, still counted
        m.write(0x8, 2, 7);
        assertEquals(List.of("r16/4", "r8176/4", "w8/2=7"), d.seen);
        assertEquals(2, m.reads());
        assertEquals(1, m.writes());
    }

    @Test
    void aWindowOfSmallDevicesRoutesEachAccessToItsDeviceAndIsCountedOnceUnderItsName() {
        Recording a = new Recording("a");
        Recording b = new Recording("b");
        SubPageDevices window = new SubPageDevices("window", a, b);
        MappedDevice m = new MappedDevice(window);
        assertEquals(0x1000, window.size(), "two 0x200-byte devices, rounded up to a page");
        assertEquals("window", window.name());
        assertEquals(0x4, m.read(0x204, 4), "offset 0x4 of the second device");
        m.write(0x10, 4, 1);
        assertEquals(0, m.read(0x800, 4), "past the last device: nothing there");
        assertEquals(List.of("w16/4=1"), a.seen);
        assertEquals(List.of("r4/4"), b.seen);
        assertEquals(2, m.reads());
        assertEquals(1, m.writes());
    }
}
