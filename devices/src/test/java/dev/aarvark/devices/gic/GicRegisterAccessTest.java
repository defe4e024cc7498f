package dev.aarvark.devices.gic;

import dev.aarvark.devices.RegisterError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.aarvark.devices.RegisterAccess;

import org.junit.jupiter.api.Test;

/** Widths, offsets and directions the GIC register blocks do not allow are guest errors, never exceptions. */
class GicRegisterAccessTest {
    @Test
    void gicv2DistributorAllowsBytesOnlyWhereTheSpecificationDoes() {
        GicV2Harness h = new GicV2Harness();
        h.dist.write(0x000, 1, 1);
        assertEquals(0, h.d(0x000));
        assertEquals(0, h.dist.read(0x100, 1));
        assertEquals(0, h.dist.read(0x400, 2));
        assertEquals(3, h.errors(h.dist.name(), RegisterError.BAD_WIDTH));
        h.dist.write(0xF00, 1, 1);
        assertEquals(4, h.errors(h.dist.name(), RegisterError.BAD_WIDTH), "GICD_SGIR is word-only");
        h.dist.write(0x401, 1, 0x55);
        assertEquals(0x55, h.dist.read(0x401, 1));
    }

    @Test
    void gicv2MisalignedAndOutOfRangeAccessesAreReported() {
        GicV2Harness h = new GicV2Harness();
        assertEquals(0, h.dist.read(0x402, 4));
        assertEquals(1, h.errors(h.dist.name(), RegisterError.BAD_WIDTH));
        assertEquals(0, h.cpuif.read(0x1_0000, 4));
        assertEquals(1, h.errors(h.cpuif.name(), RegisterError.READ_UNKNOWN));
        assertEquals(0, h.cpuif.read(0x2000, 4));
        assertEquals(2, h.errors(h.cpuif.name(), RegisterError.READ_UNKNOWN), "reserved offset");
    }

    @Test
    void gicv2ReadOnlyAndWriteOnlyRegistersAreReported() {
        GicV2Harness h = new GicV2Harness();
        h.d(0x004, 0);
        assertEquals(8, h.d(0x004));
        assertEquals(1, h.errors(h.dist.name(), RegisterError.WRITE_READ_ONLY));
        assertEquals(0, h.d(0xF00));
        assertEquals(1, h.errors(h.dist.name(), RegisterError.READ_WRITE_ONLY));
        assertEquals(0, h.c(0x10));
        assertEquals(1, h.errors(h.cpuif.name(), RegisterError.READ_WRITE_ONLY));
        h.c(0x0C, 5);
        assertEquals(1, h.errors(h.cpuif.name(), RegisterError.WRITE_READ_ONLY));
    }

    @Test
    void gicv3DistributorAllowsSixtyFourBitAccessOnlyToRoutes() {
        GicV3Harness h = new GicV3Harness();
        assertEquals(0, h.dist.read(0x0000, 8));
        assertEquals(1, h.errors(h.dist.name(), RegisterError.BAD_WIDTH));
        h.dist.write(0x0000, 2, 3);
        assertEquals(2, h.errors(h.dist.name(), RegisterError.BAD_WIDTH));
        assertEquals(0x50, h.d(0x0000));
        assertEquals(0, h.dist.read(0x0040, 4), "message-based SPIs are not implemented");
        assertEquals(1, h.errors(h.dist.name(), RegisterError.READ_UNKNOWN));
    }

    @Test
    void gicv3RedistributorAllowsSixtyFourBitAccessOnlyToTyper() {
        GicV3Harness h = new GicV3Harness();
        assertEquals(0, h.redist.get(0).read(0x0010, 8));
        assertEquals(1, h.errors(h.redist.get(0).name(), RegisterError.BAD_WIDTH));
        h.redist.get(0).write(0x0008, 8, 0);
        assertEquals(1, h.errors(h.redist.get(0).name(), RegisterError.WRITE_READ_ONLY));
        assertEquals(0, h.redist.get(0).read(0x2_0000, 4));
        assertEquals(1, h.errors(h.redist.get(0).name(), RegisterError.READ_UNKNOWN));
    }

    @Test
    void cpuInterfaceRejectsActivePriorityRegistersItDoesNotHave() {
        GicV3Harness h = new GicV3Harness();
        assertThrows(IndexOutOfBoundsException.class, () -> h.icc().readAp0r(1));
    }
}
