package dev.aarvark.memory;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link HostWrittenPages} as {@link GuestRam}'s accessors fill it. */
class HostWrittenPagesTest {
    private static final long BASE = 0x4000_0000L;

    private static List<Long> taken(GuestRam ram) {
        List<Long> pages = new ArrayList<>();
        ram.hostWrites().take(pages::add);
        return pages;
    }

    @Test
    void everyAccessorMarksThePagesItWrote() {
        try (Arena arena = Arena.ofConfined()) {
            GuestRam ram = GuestRam.allocate(arena, BASE, 1 << 20);
            ram.writeByte(BASE + 0x10, (byte) 1);
            ram.writeShort(BASE + 0x1ffe, (short) 1);
            ram.writeInt(BASE + 0x2ffe, 1);                     // straddles pages 2 and 3
            ram.writeLong(BASE + 0x5000, 1);
            ram.write(BASE + 0x7f00, new byte[0x300], 0, 0x300);   // pages 7 and 8
            ram.fill(BASE + 0xf_f000, 0x1000, (byte) 0);           // the last page
            assertEquals(List.of(0L, 1L, 2L, 3L, 5L, 7L, 8L, 255L), taken(ram));
        }
    }

    @Test
    void takeForgetsWhatItReportedAndReadsMarkNothing() {
        try (Arena arena = Arena.ofConfined()) {
            GuestRam ram = GuestRam.allocate(arena, BASE, 1 << 20);
            ram.writeInt(BASE + 0x4000, 1);
            assertEquals(List.of(4L), taken(ram));
            ram.readInt(BASE + 0x4000);
            ram.read(BASE, new byte[64], 0, 64);
            assertEquals(List.of(), taken(ram));
            ram.writeInt(BASE + 0x4000, 2);
            ram.hostWrites().clear();
            assertEquals(List.of(), taken(ram));
        }
    }

    @Test
    void aZeroLengthWriteMarksNothing() {
        try (Arena arena = Arena.ofConfined()) {
            GuestRam ram = GuestRam.allocate(arena, BASE, 1 << 20);
            ram.write(BASE + 0x3000, new byte[0], 0, 0);
            assertEquals(List.of(), taken(ram));
        }
    }

    @Test
    void pagesMarkedOnOtherThreadsWhileTakingAreReportedByThisTakeOrTheNext() throws InterruptedException {
        try (Arena arena = Arena.ofShared()) {
            GuestRam ram = GuestRam.allocate(arena, BASE, 64L << 20);
            int pages = (int) ram.hostWrites().pages();
            Thread writer = new Thread(() -> {
                for (int p = 0; p < pages; p++) {
                    ram.writeInt(BASE + ((long) p << 12), p);
                }
            });
            boolean[] seen = new boolean[pages];
            writer.start();
            while (writer.isAlive()) {
                ram.hostWrites().take(p -> seen[(int) p] = true);
            }
            writer.join();
            ram.hostWrites().take(p -> seen[(int) p] = true);
            int missing = 0;
            for (boolean s : seen) {
                missing += s ? 0 : 1;
            }
            assertEquals(0, missing, "pages written but never reported");
        }
    }
}
