package dev.aarvark.emulator.boot;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FdtTest {
    /** A small tree using every property helper, a phandle reference, nesting and a reservation. */
    static Fdt sampleTree() {
        Fdt fdt = new Fdt(new FdtNode(""), List.of(new MemoryReservation(0x4800_0000L, 0x1000)), 0);
        PhandleAllocator phandles = new PhandleAllocator(PhandleAllocator.QEMU_FIRST);
        FdtNode root = fdt.root()
                .u32("#address-cells", 2)
                .u32("#size-cells", 2)
                .strings("compatible", "acme,board", "acme,soc")
                .string("model", "Acme board");
        FdtNode intc = root.addChild("intc@8000000")
                .empty("interrupt-controller")
                .u32("#interrupt-cells", 3);
        int intcPhandle = phandles.assign(intc);
        root.addChild("dev@9000000")
                .cells("reg", 0, 0x0900_0000, 0, 0x1000)
                .u32("interrupt-parent", intcPhandle)
                .u64("big", 0x1234_5678_9abc_def0L)
                .bytes("blob", new byte[] {1, 2, 3})
                .addChild("sub").string("status", "okay");
        root.addChild("chosen").string("bootargs", "console=ttyAMA0 earlycon");
        return fdt;
    }

    @Test
    void writtenBlobReadsBackWithSameNodesPropertiesOrderAndReservations() {
        Fdt original = sampleTree();

        Fdt read = Fdt.fromDtb(original.toDtb(), "sample");

        FdtTrees.assertSameTree(original.root(), read.root());
        assertEquals(List.of(new MemoryReservation(0x4800_0000L, 0x1000)), read.reservations());
        assertEquals(0, read.bootCpuidPhys());
        assertArrayEquals(original.toDtb(), read.toDtb(), "a read tree serialises to the same bytes");
    }

    @Test
    void headerCarriesMagicVersionsBootCpuAndConsistentBlockOffsets() {
        Fdt fdt = new Fdt(sampleTree().root(), List.of(), 3);
        byte[] dtb = fdt.toDtb();
        ByteBuffer h = ByteBuffer.wrap(dtb);

        assertEquals(0xd00dfeed, h.getInt(0), "magic");
        assertEquals(dtb.length, h.getInt(4), "totalsize");
        int offStruct = h.getInt(8);
        int offStrings = h.getInt(12);
        assertEquals(40, h.getInt(16), "memory reservation block right after the header");
        assertEquals(17, h.getInt(20), "version");
        assertEquals(16, h.getInt(24), "last_comp_version");
        assertEquals(3, h.getInt(28), "boot_cpuid_phys");
        int sizeStrings = h.getInt(32);
        int sizeStruct = h.getInt(36);
        assertEquals(40 + 16, offStruct, "one terminating reservation entry, then the structure block");
        assertEquals(0, h.getLong(40) | h.getLong(48), "reservation terminator");
        assertEquals(offStruct + sizeStruct, offStrings, "strings block follows the structure block");
        assertEquals(dtb.length, offStrings + sizeStrings);
        assertEquals(1, h.getInt(offStruct), "FDT_BEGIN_NODE of the root");
        assertEquals(9, h.getInt(offStruct + sizeStruct - 4), "FDT_END closes the structure block");
    }

    @Test
    void stringsBlockHoldsEachPropertyNameOnce() {
        Fdt fdt = new Fdt();
        fdt.root().u32("#address-cells", 2);
        fdt.root().addChild("a").u32("#address-cells", 1).string("compatible", "x");
        fdt.root().addChild("b").u32("#address-cells", 1).string("compatible", "y");
        byte[] dtb = fdt.toDtb();
        ByteBuffer h = ByteBuffer.wrap(dtb);

        String strings = new String(dtb, h.getInt(12), h.getInt(32), StandardCharsets.UTF_8);

        assertEquals("#address-cells\0compatible\0", strings);
    }

    @Test
    void propertyHelpersEncodeBigEndianCellsAndNulTerminatedStrings() {
        assertArrayEquals(new byte[] {0x12, 0x34, 0x56, 0x78}, FdtProperty.u32("p", 0x1234_5678).value());
        assertArrayEquals(new byte[] {0, 0, 0, 1, 0, 0, 0, 2}, FdtProperty.u64("p", 0x1_0000_0002L).value());
        assertArrayEquals(new byte[] {0, 0, 0, 1, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
                FdtProperty.cells("p", 1, -1).value());
        assertArrayEquals("ab\0".getBytes(StandardCharsets.UTF_8), FdtProperty.string("p", "ab").value());
        assertArrayEquals("a\0bc\0".getBytes(StandardCharsets.UTF_8), FdtProperty.strings("p", "a", "bc").value());
        assertEquals(0, FdtProperty.empty("p").length());
    }

    @Test
    void typedReadersDecodeWhatTheHelpersEncode() {
        assertEquals(0x1234_5678, FdtProperty.u32("p", 0x1234_5678).asU32());
        assertEquals(0x1_0000_0002L, FdtProperty.u64("p", 0x1_0000_0002L).asU64());
        assertEquals(0xffff_fff0L, FdtProperty.u32("p", 0xffff_fff0).asNumber());
        assertEquals(0x1_0000_0000L, FdtProperty.u64("p", 0x1_0000_0000L).asNumber());
        assertArrayEquals(new int[] {1, 2, 3}, FdtProperty.cells("p", 1, 2, 3).asCells());
        assertEquals("hello", FdtProperty.string("p", "hello").asString());
        assertEquals(List.of("arm,pl011", "arm,primecell"), FdtProperty.strings("p", "arm,pl011", "arm,primecell").asStringList());
        assertTrue(FdtProperty.empty("p").isEmpty());
    }

    @Test
    void readingAPropertyAsTheWrongTypeNamesThePropertyAndTheProblem() {
        FdtProperty threeBytes = FdtProperty.bytes("odd", new byte[] {1, 2, 3});

        FdtPropertyTypeException e = assertThrows(FdtPropertyTypeException.class, threeBytes::asU32);
        assertEquals("property 'odd': expected a u32 (4 bytes), found 3 bytes", e.getMessage());
        assertThrows(FdtPropertyTypeException.class, threeBytes::asCells);
        assertThrows(FdtPropertyTypeException.class, threeBytes::asString);
        assertThrows(FdtPropertyTypeException.class, () -> FdtProperty.strings("l", "a", "b").asString());
        assertThrows(FdtPropertyTypeException.class, () -> FdtProperty.u32("n", 1).asU64());
    }

    @Test
    void pathsResolveWithAndWithoutUnambiguousUnitAddresses() {
        Fdt fdt = sampleTree();
        fdt.root().addChild("uart@1");
        fdt.root().addChild("uart@2");

        assertEquals("", fdt.find("/").orElseThrow().name());
        assertEquals("dev@9000000", fdt.find("/dev@9000000").orElseThrow().name());
        assertEquals("sub", fdt.find("/dev/sub").orElseThrow().name(), "unit address may be left out");
        assertEquals("uart@2", fdt.find("/uart@2").orElseThrow().name());
        assertFalse(fdt.find("/uart").isPresent(), "ambiguous without a unit address");
        assertFalse(fdt.find("/nonexistent").isPresent());
    }

    @Test
    void putReplacesInPlaceAndPutFirstInsertsNewPropertiesFirst() {
        FdtNode n = new FdtNode("chosen").string("a", "1").string("b", "2");

        n.put(FdtProperty.string("a", "changed")).putFirst(FdtProperty.string("c", "3")).putFirst(FdtProperty.string("b", "x"));

        assertEquals(List.of("c", "a", "b"), n.properties().stream().map(FdtProperty::name).toList());
        assertEquals("changed", n.property("a").orElseThrow().asString());
        assertEquals("x", n.property("b").orElseThrow().asString());
    }

    @Test
    void duplicateChildNamesAndSlashesInNamesAreRejected() {
        FdtNode n = new FdtNode("");
        n.addChild("cpus");

        assertThrows(IllegalArgumentException.class, () -> n.addChild("cpus"));
        assertThrows(IllegalArgumentException.class, () -> new FdtNode("a/b"));
        assertThrows(IllegalArgumentException.class, () -> new FdtProperty("", new byte[0]));
    }

    @Test
    void phandleAllocatorCountsFromItsFirstValueAndReusesAnExistingPhandle() {
        PhandleAllocator phandles = new PhandleAllocator(0x8000);
        FdtNode a = new FdtNode("a").string("compatible", "x");

        assertEquals(0x8000, phandles.assign(a));
        assertEquals(0x8000, phandles.assign(a));
        assertEquals("phandle", a.properties().get(0).name(), "phandle goes first, where QEMU's trees show it");
        assertEquals(0x8001, phandles.allocate());
        assertThrows(IllegalArgumentException.class, () -> new PhandleAllocator(0));
    }

    @Test
    void copyIsIndependentOfTheOriginal() {
        Fdt original = sampleTree();
        Fdt copy = original.copy();

        copy.find("/chosen").orElseThrow().string("bootargs", "changed");
        copy.root().addChild("extra");

        assertEquals("console=ttyAMA0 earlycon", original.find("/chosen").orElseThrow().property("bootargs").orElseThrow().asString());
        assertFalse(original.find("/extra").isPresent());
    }
}
