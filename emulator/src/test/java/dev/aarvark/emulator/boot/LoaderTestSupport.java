package dev.aarvark.emulator.boot;

import dev.aarvark.memory.GuestRam;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/** A 512 MiB {@code virt} RAM bank at 0x4000_0000, temp files, and boot helpers for loader tests. */
abstract class LoaderTestSupport {
    static final long RAM = 0x4000_0000L;
    static final long MIB = 1L << 20;

    @TempDir
    Path dir;
    Arena arena;
    GuestRam ram;

    long ramSize() {
        return 512 * MIB;
    }

    @BeforeEach
    void allocateRam() {
        arena = Arena.ofConfined();
        ram = GuestRam.allocate(arena, RAM, ramSize());
    }

    @AfterEach
    void freeRam() {
        arena.close();
    }

    Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    DtbFactory virtDtb(String bootargs) {
        return VirtDeviceTree.factory(VirtDeviceTreeConfig.qemuDefaults(ramSize(), new byte[32], 0).withBootargs(bootargs));
    }

    BootPlan boot(Path kernel, Path initrd) {
        return KernelLoader.load(ram, new BootRequest(kernel, Optional.ofNullable(initrd), virtDtb("console=ttyAMA0")));
    }

    BootImageException bootFails(Path kernel, Path initrd) {
        return assertThrows(BootImageException.class, () -> boot(kernel, initrd));
    }

    /** The DTB the plan says it wrote, read back from RAM. */
    Fdt dtbInRam(BootPlan plan) {
        return Fdt.fromDtb(bytes(plan.dtb().start(), (int) plan.dtb().size()), "dtb in RAM");
    }

    byte[] bytes(long pa, int len) {
        byte[] b = new byte[len];
        ram.read(pa, b, 0, len);
        return b;
    }

    /** Fails unless every byte of RAM is still 0. */
    void assertRamUntouched() {
        MemorySegment zeros = arena.allocate(MIB);
        for (long off = 0; off < ram.size(); off += MIB) {
            long at = MemorySegment.mismatch(zeros, 0, MIB, ram.segment(), off, off + MIB);
            if (at >= 0) {
                fail("RAM was written at " + Hex.of(ram.base() + off + at) + " by a load that failed");
            }
        }
    }

    static void assertOneLine(BootImageException e, String expected) {
        assertEquals(expected, e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    /** A byte pattern that differs from zero everywhere, so loaded bytes are recognisable. */
    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) ((i * 31 + seed) | 1);
        }
        return b;
    }

    /**
     * A Linux arm64 Image: {@code length} bytes with the 64-byte header ({@code text_offset},
     * {@code image_size}, {@code flags}, magic at 56), optionally starting with an EFI stub's "MZ".
     */
    static byte[] linuxImage(long textOffset, long imageSize, long flags, int length, boolean efiStub) {
        byte[] b = pattern(length, 7);
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0, efiStub ? 0x91005a4d : 0x14000010);  // "MZ" + add x13, x18, #0x16, or b +0x40
        h.putInt(4, 0);
        h.putLong(8, textOffset);
        h.putLong(16, imageSize);
        h.putLong(24, flags);
        h.putLong(32, 0).putLong(40, 0).putLong(48, 0);
        h.putInt(56, 0x644d5241);
        h.putInt(60, efiStub ? 0x40 : 0);
        return b;
    }
}
