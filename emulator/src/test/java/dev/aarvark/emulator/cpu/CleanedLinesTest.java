package dev.aarvark.emulator.cpu;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link CleanedLines}: lines in, maximal runs within a page out, once. */
class CleanedLinesTest {
    private static List<String> drain(CleanedLines lines, long[] count) {
        List<String> runs = new ArrayList<>();
        count[0] = lines.drain((offset, length) -> runs.add(Long.toHexString(offset) + "+" + Long.toHexString(length)));
        return runs;
    }

    @Test
    void adjacentLinesOfAPageComeOutAsOneRunAndAPageBoundaryEndsARun() {
        CleanedLines lines = new CleanedLines(16 << 20);
        lines.add(0x1fc0);      // last line of page 1
        lines.add(0x2000);      // first line of page 2
        lines.add(0x2040);
        lines.add(0x2048);      // the same line again
        lines.add(0x2100);
        long[] count = new long[1];
        assertEquals(List.of("1fc0+40", "2000+80", "2100+40"), drain(lines, count));
        assertEquals(4, count[0]);
        assertEquals(List.of(), drain(lines, count), "drained once");
        assertEquals(0, count[0]);
    }

    @Test
    void aWholePageIsOneRunOfFourKibibytes() {
        CleanedLines lines = new CleanedLines(16 << 20);
        for (long off = 0x5000; off < 0x6000; off += 64) {
            lines.add(off);
        }
        lines.add(0xf_ffc0);    // the last line of the last page of a far chunk
        long[] count = new long[1];
        assertEquals(List.of("5000+1000", "fffc0+40"), drain(lines, count));
        assertEquals(65, count[0]);
    }

    @Test
    void aRemovedLineIsNotReportedAndSplitsItsRun() {
        CleanedLines lines = new CleanedLines(16 << 20);
        lines.add(0x3000);
        lines.add(0x3040);
        lines.add(0x3080);
        lines.remove(0x3040);
        lines.remove(0x9000);   // never added, in a chunk never used
        long[] count = new long[1];
        assertEquals(List.of("3000+40", "3080+40"), drain(lines, count));
        assertEquals(2, count[0]);
    }

    @Test
    void clearEmptiesTheSet() {
        CleanedLines lines = new CleanedLines(1 << 30);
        lines.add(0x3fff_ffc0L);
        lines.clear();
        assertEquals(List.of(), drain(lines, new long[1]));
    }
}
