package dev.aarvark.emulator.cpu.sysreg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.RegisterError;
import dev.aarvark.devices.gic.CpuInterruptSignals;
import dev.aarvark.devices.gic.GicConfig;
import dev.aarvark.devices.gic.GicCore;
import dev.aarvark.devices.gic.GicV3CpuInterface;
import dev.aarvark.devices.gic.GicV3Distributor;
import dev.aarvark.devices.gic.GicV3Redistributor;
import dev.aarvark.emulator.cpu.SysReg;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The ICC_*_EL1 bindings: encodings (Arm ARM System register index, IHI 0069 §12.2), the UNDEF-trap
 * path, read/write routing to the CPU interface, and which accesses are declined so that the CPU
 * core delivers UNDEFINED. The handlers never use their {@code Cpu} argument, so the tests pass
 * none; the EL rule is checked through {@code accessibleAt}.
 */
class GicV3RegistersTest {
    private final GuestErrorLog guestErrors = new GuestErrorLog();
    private final GicCore core = new GicCore(GicConfig.qemuVirtV3(1), List.of(CpuInterruptSignals.NONE), guestErrors);
    private final GicV3CpuInterface cpuif = new GicV3CpuInterface("icc-test", core, 0);
    private final SystemRegisterTable table = new SystemRegisterTable();

    GicV3RegistersTest() {
        GicV3Registers.register(table, cpuif);
    }

    private GicV3Registers.IccRegister entry(int op0, int op1, int crn, int crm, int op2) {
        SystemRegisterTable.Entry e = table.lookup(SysReg.key(op0, op1, crn, crm, op2));
        assertNotNull(e, "S" + op0 + "_" + op1 + "_C" + crn + "_C" + crm + "_" + op2 + " is registered");
        assertEquals(SystemRegisterTable.Path.UNDEF_TRAP, e.path());
        return (GicV3Registers.IccRegister) e.handler();
    }

    @Test
    void encodingsAreTheArchitecturalOnes() {
        assertEquals("S3_0_C4_C6_0", GicV3Registers.ICC_PMR_EL1.toString());
        assertEquals("S3_0_C12_C12_0", GicV3Registers.ICC_IAR1_EL1.toString());
        assertEquals("S3_0_C12_C12_1", GicV3Registers.ICC_EOIR1_EL1.toString());
        assertEquals("S3_0_C12_C11_5", GicV3Registers.ICC_SGI1R_EL1.toString());
        assertEquals("S3_0_C12_C11_7", GicV3Registers.ICC_SGI0R_EL1.toString());
        assertEquals("S3_0_C12_C12_5", GicV3Registers.ICC_SRE_EL1.toString());
        assertEquals("S3_0_C12_C12_7", GicV3Registers.ICC_IGRPEN1_EL1.toString());
        assertEquals("S3_0_C12_C8_4", GicV3Registers.iccAp0r(0).toString());
        assertEquals("S3_0_C12_C9_0", GicV3Registers.iccAp1r(0).toString());
    }

    @Test
    void everyCpuInterfaceRegisterIsOnTheUndefTrapPath() {
        int[][] encodings = {
                {3, 0, 4, 6, 0}, {3, 0, 12, 8, 0}, {3, 0, 12, 8, 1}, {3, 0, 12, 8, 2}, {3, 0, 12, 8, 3},
                {3, 0, 12, 8, 4}, {3, 0, 12, 9, 0}, {3, 0, 12, 11, 1}, {3, 0, 12, 11, 3}, {3, 0, 12, 11, 5},
                {3, 0, 12, 11, 6}, {3, 0, 12, 11, 7}, {3, 0, 12, 12, 0}, {3, 0, 12, 12, 1}, {3, 0, 12, 12, 2},
                {3, 0, 12, 12, 3}, {3, 0, 12, 12, 4}, {3, 0, 12, 12, 5}, {3, 0, 12, 12, 6}, {3, 0, 12, 12, 7},
        };
        for (int[] e : encodings) {
            entry(e[0], e[1], e[2], e[3], e[4]);
        }
        assertFalse(table.uses(SystemRegisterTable.Path.INSN_HOOK));
    }

    @Test
    void onlyTheImplementedActivePriorityRegistersExist() {
        assertNull(table.lookup(GicV3Registers.iccAp0r(1).key()), "5 preemption bits: ICC_AP0R1_EL1 UNDEFs as on QEMU");
        assertNull(table.lookup(GicV3Registers.iccAp1r(3).key()));
    }

    @Test
    void bindingTwiceIsAProgrammingError() {
        assertThrows(IllegalStateException.class, () -> GicV3Registers.register(table, cpuif));
    }

    @Test
    void readsAndWritesReachTheCpuInterface() {
        entry(3, 0, 4, 6, 0).write(null, 0xF0);
        assertEquals(0xF0, cpuif.readPmr());
        assertEquals(0xF0, entry(3, 0, 4, 6, 0).read(null));
        assertEquals(0x7, entry(3, 0, 12, 12, 5).read(null));
        assertEquals(0x8C00, entry(3, 0, 12, 12, 4).read(null));
        entry(3, 0, 12, 12, 7).write(null, 1);
        assertEquals(1, cpuif.readIgrpen1());
        entry(3, 0, 12, 9, 0).write(null, 1 << 20);
        assertEquals(0xA0, entry(3, 0, 12, 11, 3).read(null), "ICC_RPR_EL1 follows ICC_AP1R0_EL1");
    }

    @Test
    void acknowledgeAndEndOfInterruptRunThroughTheTable() {
        GicV3Distributor dist = new GicV3Distributor("icc-test-dist", core);
        GicV3Redistributor redist = new GicV3Redistributor("icc-test-redist", core, 0);
        dist.write(0x0000, 4, 0x3);
        redist.write(0x1_0080, 4, 0xFFFF_FFFFL);
        redist.write(0x1_0400 + 27, 1, 0xA0);
        redist.write(0x1_0100, 4, 1 << 27);
        entry(3, 0, 4, 6, 0).write(null, 0xF0);
        entry(3, 0, 12, 12, 7).write(null, 1);
        core.lineFor(27).set(true);
        assertTrue(core.irqPending());
        assertEquals(27, entry(3, 0, 12, 12, 2).read(null), "ICC_HPPIR1_EL1");
        assertEquals(27, entry(3, 0, 12, 12, 0).read(null), "ICC_IAR1_EL1");
        assertFalse(core.irqPending());
        core.lineFor(27).set(false);
        entry(3, 0, 12, 12, 1).write(null, 27);
        assertEquals(0xFF, entry(3, 0, 12, 11, 3).read(null));
        entry(3, 0, 12, 11, 5).write(null, 2L << 24 | 1);
        redist.write(0x1_0100, 4, 1 << 2);
        assertTrue(core.irqPending(), "ICC_SGI1R_EL1 pended SGI 2");
    }

    @Test
    void el0AccessIsDeclinedSoItUndefs() {
        assertFalse(entry(3, 0, 4, 6, 0).accessibleAt(0, true));
        assertFalse(entry(3, 0, 12, 12, 0).accessibleAt(0, true));
        assertTrue(entry(3, 0, 4, 6, 0).accessibleAt(1, true));
        assertTrue(entry(3, 0, 4, 6, 0).accessibleAt(1, false));
    }

    @Test
    void wrongDirectionIsDeclinedSoItUndefsAndIsReported() {
        assertFalse(entry(3, 0, 12, 12, 0).accessibleAt(1, false), "MSR ICC_IAR1_EL1");
        assertEquals(1, guestErrors.count(cpuif.name(), RegisterError.WRITE_READ_ONLY));
        assertFalse(entry(3, 0, 12, 12, 1).accessibleAt(1, true), "MRS ICC_EOIR1_EL1");
        assertFalse(entry(3, 0, 12, 11, 5).accessibleAt(1, true), "MRS ICC_SGI1R_EL1");
        assertEquals(2, guestErrors.count(cpuif.name(), RegisterError.READ_WRITE_ONLY));
        assertTrue(entry(3, 0, 12, 12, 0).accessibleAt(1, true));
        assertTrue(entry(3, 0, 12, 12, 1).accessibleAt(1, false));
    }
}
