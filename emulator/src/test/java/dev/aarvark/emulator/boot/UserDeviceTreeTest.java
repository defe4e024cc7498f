package dev.aarvark.emulator.boot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --dtb FILE}: validation, and the patch compared with what QEMU 7.2 makes of the same file. */
class UserDeviceTreeTest {
    private static final long RAM = 0x4000_0000L;
    private static final long RAM_SIZE = 512L << 20;

    @TempDir
    Path dir;

    private Path dtbFile(String resource) throws IOException {
        Path p = dir.resolve(resource.replace(".dts", ".dtb"));
        Files.write(p, Dtc.compile(Dtc.resource(resource)));
        return p;
    }

    private static Fdt reference(String resource) throws IOException {
        return Fdt.fromDtb(Dtc.compile(Dtc.resource(resource)), resource);
    }

    @Test
    void patchReplacesMemoryAndPsciAndSetsChosenExactlyAsQemuDoes() throws IOException {
        UserDeviceTree user = UserDeviceTree.read(dtbFile("user-tree.dts"));

        Fdt patched = user.patched(RAM, RAM_SIZE, "console=ttyAMA0 quiet",
                Optional.of(new PhysicalRange(0x4800_0000L, 0x4813_9e3dL)));

        FdtTrees.assertSameTree(reference("user-tree-patched-by-qemu-7.2.dts").root(), patched.root());
    }

    @Test
    void patchCreatesChosenAndUsesTheRootsSingleCellsAsQemuDoes() throws IOException {
        UserDeviceTree user = UserDeviceTree.read(dtbFile("user-tree-no-chosen.dts"));

        Fdt patched = user.patched(RAM, RAM_SIZE, "", Optional.empty());

        FdtTrees.assertSameTree(reference("user-tree-no-chosen-patched-by-qemu-7.2.dts").root(), patched.root());
    }

    @Test
    void patchingLeavesTheTreeAsReadUntouched() throws IOException {
        UserDeviceTree user = UserDeviceTree.read(dtbFile("user-tree.dts"));

        user.patched(RAM, RAM_SIZE, "new", Optional.empty());

        Fdt tree = user.tree();
        assertEquals("old arguments", tree.find("/chosen").orElseThrow().property("bootargs").orElseThrow().asString());
        assertTrue(tree.find("/memory@80000000").isPresent());
    }

    @Test
    void factoryProducesThePatchedBlobAndNamesTheFile() throws IOException {
        Path file = dtbFile("user-tree.dts");
        DtbFactory factory = UserDeviceTree.read(file).factory(RAM, RAM_SIZE, "root=/dev/vda");

        Fdt fdt = Fdt.fromDtb(factory.create(Optional.of(new PhysicalRange(0x4800_0000L, 0x4800_1000L))), "blob");

        assertEquals(file.toString(), factory.source());
        assertEquals("root=/dev/vda", fdt.find("/chosen").orElseThrow().property("bootargs").orElseThrow().asString());
        assertEquals(0x4800_1000L, fdt.find("/chosen").orElseThrow().property("linux,initrd-end").orElseThrow().asNumber());
    }

    @Test
    void aTruncatedFileIsRefusedNamingTheFile() throws IOException {
        Path good = dtbFile("user-tree.dts");
        Path bad = dir.resolve("truncated.dtb");
        byte[] bytes = Files.readAllBytes(good);
        Files.write(bad, Arrays.copyOf(bytes, bytes.length / 2));

        FdtFormatException e = assertThrows(FdtFormatException.class, () -> UserDeviceTree.read(bad));

        assertTrue(e.getMessage().startsWith("dtb " + bad + ": truncated: totalsize is "), e.getMessage());
    }

    @Test
    void aFileThatIsNotADeviceTreeIsRefusedNamingTheFile() throws IOException {
        Path bad = dir.resolve("kernel.bin");
        Files.write(bad, new byte[64]);

        FdtFormatException e = assertThrows(FdtFormatException.class, () -> UserDeviceTree.read(bad));

        assertEquals("dtb " + bad + ": bad magic 0x0, expected 0xd00dfeed (not a flattened device tree)", e.getMessage());
    }

    @Test
    void aMissingFileIsRefusedNamingTheFile() {
        Path missing = dir.resolve("nope.dtb");

        BootImageException e = assertThrows(BootImageException.class, () -> UserDeviceTree.read(missing));

        assertEquals("dtb " + missing + ": no such file", e.getMessage());
    }

    @Test
    void aRootWithoutAddressCellsCannotDescribeRam() throws IOException {
        Path file = dir.resolve("nocells.dtb");
        Files.write(file, Dtc.compile("/dts-v1/; / { compatible = \"x\"; #size-cells = <1>; };"));

        FdtFormatException e = assertThrows(FdtFormatException.class, () -> UserDeviceTree.read(file));

        assertEquals("dtb " + file + ": the root node has no #address-cells", e.getMessage());
    }

    @Test
    void ramAbove4GiBDoesNotFitASingleCellRoot() throws IOException {
        UserDeviceTree user = UserDeviceTree.read(dtbFile("user-tree-no-chosen.dts"));

        FdtFormatException e = assertThrows(FdtFormatException.class,
                () -> user.patched(0x1_0000_0000L, RAM_SIZE, "", Optional.empty()));

        assertTrue(e.getMessage().contains("RAM base 0x100000000 does not fit the root's single cell"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
