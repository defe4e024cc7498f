package dev.aarvark.emulator.boot;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FdtReaderValidationTest {
    private final byte[] valid = FdtTest.sampleTree().toDtb();
    private final int offStruct = ByteBuffer.wrap(valid).getInt(8);
    private final int sizeStruct = ByteBuffer.wrap(valid).getInt(36);

    private FdtFormatException rejected(byte[] blob) {
        return assertThrows(FdtFormatException.class, () -> Fdt.fromDtb(blob, "/tmp/bad.dtb"));
    }

    private byte[] withInt(int offset, int value) {
        byte[] b = valid.clone();
        ByteBuffer.wrap(b).putInt(offset, value);
        return b;
    }

    private static void assertReason(FdtFormatException e, String reasonFragment) {
        assertTrue(e.getMessage().startsWith("dtb /tmp/bad.dtb: "), e.getMessage());
        assertTrue(e.getMessage().contains(reasonFragment), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), "one line");
    }

    @Test
    void aBlobShorterThanTheHeaderIsTruncated() {
        assertReason(rejected(Arrays.copyOf(valid, 20)), "truncated: the header needs 40 bytes but there are 20");
    }

    @Test
    void aWrongMagicIsNotADeviceTree() {
        assertReason(rejected(withInt(0, 0x7f454c46)), "bad magic 0x7f454c46");
    }

    @Test
    void versionsOlderThan17AreRefused() {
        assertReason(rejected(withInt(20, 16)), "unsupported version 16");
    }

    @Test
    void aTotalsizeBeyondTheFileIsTruncation() {
        assertReason(rejected(Arrays.copyOf(valid, valid.length - 8)), "truncated: totalsize is " + Hex.of(valid.length));
    }

    @Test
    void bytesAfterTotalsizeAreIgnored() {
        byte[] padded = Arrays.copyOf(valid, valid.length + 4096);

        FdtTrees.assertSameTree(FdtTest.sampleTree().root(), Fdt.fromDtb(padded, "padded").root());
    }

    @Test
    void aStructureBlockRunningPastTotalsizeIsRefused() {
        assertReason(rejected(withInt(36, valid.length)), "structure block");
    }

    @Test
    void aStringsBlockOutsideTotalsizeIsRefused() {
        assertReason(rejected(withInt(12, valid.length + 16)), "strings block");
    }

    @Test
    void aMisalignedReservationBlockIsRefused() {
        assertReason(rejected(withInt(16, 44)), "memory reservation block offset 0x2c is misaligned");
    }

    @Test
    void anUnknownTokenIsNamedWithItsOffset() {
        // root: BEGIN_NODE (4) + empty name padded (4), then the first FDT_PROP at structure offset 8
        assertReason(rejected(withInt(offStruct + 8, 7)), "unknown token 0x7 at structure offset 0x8");
    }

    @Test
    void aPropertyNameOffsetOutsideTheStringsBlockIsRefused() {
        assertReason(rejected(withInt(offStruct + 16, 0xffff)), "names string offset 0xffff outside the strings block");
    }

    @Test
    void aStructureWithoutFdtEndIsRefused() {
        assertReason(rejected(withInt(offStruct + sizeStruct - 4, 4)), "without FDT_END");
    }

    @Test
    void fdtEndWhileANodeIsOpenIsRefused() {
        assertReason(rejected(withInt(offStruct + sizeStruct - 8, 9)), "FDT_END with 1 node(s) still open");
    }

    @Test
    void aPropertyValueRunningPastTheStructureBlockIsRefused() {
        assertReason(rejected(withInt(offStruct + 12, 0x10_0000)), "runs past the structure block");
    }
}
