package dev.aarvark.emulator.cpu.sysreg;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.RegisterError;
import dev.aarvark.devices.gic.GicV3CpuInterface;
import dev.aarvark.emulator.cpu.Cpu;
import dev.aarvark.emulator.cpu.SysReg;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Binds the GICv3 CPU-interface System registers (ICC_*_EL1, IHI 0069 §12.2; encodings from the
 * Arm ARM's System register index) to a {@link GicV3CpuInterface}. libunicorn does not implement
 * them: every MRS/MSR UNDEFs, and the CPU core's UNDEF handler decodes it, calls the handler here
 * and steps over the instruction, so they take {@link SystemRegisterTable.Path#UNDEF_TRAP}
 * (docs/libunicorn.md, "System-register hooks").
 *
 * <h2>What the architecture says, and how it is kept</h2>
 * <ul>
 *   <li>At EL0 every ICC_*_EL1 access is UNDEFINED (the default
 *   {@link EmulatedRegister#accessible} rule): the handler declines and the CPU core delivers the
 *   UNDEFINED exception it would have delivered anyway.</li>
 *   <li>The read-only registers (ICC_IAR0/1_EL1, ICC_HPPIR0/1_EL1, ICC_RPR_EL1) have no MSR
 *   encoding and the write-only ones (ICC_EOIR0/1_EL1, ICC_DIR_EL1, ICC_SGI0R/SGI1R/ASGI1R_EL1)
 *   no MRS encoding: such an access is UNDEFINED. The handler declines it too, so the guest gets
 *   the same UNDEFINED exception (the UNDEF path delivers it with EC 0 when no handler accepts);
 *   because it is almost certainly a guest bug it is also reported to the machine's {@link GuestErrorLog}
 *   under the CPU interface's name.</li>
 *   <li>Only the ICC_AP0Rn_EL1 / ICC_AP1Rn_EL1 that the CPU interface implements are registered
 *   (ICC_AP0R0_EL1 and ICC_AP1R0_EL1 on QEMU's {@code virt}); the others stay unimplemented and
 *   UNDEF, as they do on QEMU with a Cortex-A57.</li>
 * </ul>
 * Not bound (they UNDEF): the EL2/EL3 registers (ICC_SRE_EL2, ICC_CTLR_EL3, ...), ICC_NMIAR1_EL1
 * (no FEAT_GICv3_NMI), and the virtual ICV_* view (the guest runs at EL1 without EL2).
 */
public final class GicV3Registers {
    public static final SysReg ICC_PMR_EL1 = new SysReg(3, 0, 4, 6, 0);
    public static final SysReg ICC_IAR0_EL1 = new SysReg(3, 0, 12, 8, 0);
    public static final SysReg ICC_EOIR0_EL1 = new SysReg(3, 0, 12, 8, 1);
    public static final SysReg ICC_HPPIR0_EL1 = new SysReg(3, 0, 12, 8, 2);
    public static final SysReg ICC_BPR0_EL1 = new SysReg(3, 0, 12, 8, 3);
    public static final SysReg ICC_DIR_EL1 = new SysReg(3, 0, 12, 11, 1);
    public static final SysReg ICC_RPR_EL1 = new SysReg(3, 0, 12, 11, 3);
    public static final SysReg ICC_SGI1R_EL1 = new SysReg(3, 0, 12, 11, 5);
    public static final SysReg ICC_ASGI1R_EL1 = new SysReg(3, 0, 12, 11, 6);
    public static final SysReg ICC_SGI0R_EL1 = new SysReg(3, 0, 12, 11, 7);
    public static final SysReg ICC_IAR1_EL1 = new SysReg(3, 0, 12, 12, 0);
    public static final SysReg ICC_EOIR1_EL1 = new SysReg(3, 0, 12, 12, 1);
    public static final SysReg ICC_HPPIR1_EL1 = new SysReg(3, 0, 12, 12, 2);
    public static final SysReg ICC_BPR1_EL1 = new SysReg(3, 0, 12, 12, 3);
    public static final SysReg ICC_CTLR_EL1 = new SysReg(3, 0, 12, 12, 4);
    public static final SysReg ICC_SRE_EL1 = new SysReg(3, 0, 12, 12, 5);
    public static final SysReg ICC_IGRPEN0_EL1 = new SysReg(3, 0, 12, 12, 6);
    public static final SysReg ICC_IGRPEN1_EL1 = new SysReg(3, 0, 12, 12, 7);

    private GicV3Registers() {}

    /** ICC_AP0R{n}_EL1, n = 0..3. */
    public static SysReg iccAp0r(int n) {
        return new SysReg(3, 0, 12, 8, 4 + n);
    }

    /** ICC_AP1R{n}_EL1, n = 0..3. */
    public static SysReg iccAp1r(int n) {
        return new SysReg(3, 0, 12, 9, n);
    }

    /**
     * Registers every ICC_*_EL1 register of {@code cpuif} on the UNDEF-trap path; an access
     * without an encoding is reported to the GIC's guest error log (the machine's) under the CPU interface's name.
     */
    public static void register(SystemRegisterTable table, GicV3CpuInterface cpuif) {
        GuestErrorLog errors = cpuif.guestErrors();
        String device = cpuif.name();
        readWrite(table, errors, device, ICC_PMR_EL1, "ICC_PMR_EL1", cpuif::readPmr, cpuif::writePmr);
        readWrite(table, errors, device, ICC_BPR0_EL1, "ICC_BPR0_EL1", cpuif::readBpr0, cpuif::writeBpr0);
        readWrite(table, errors, device, ICC_BPR1_EL1, "ICC_BPR1_EL1", cpuif::readBpr1, cpuif::writeBpr1);
        readWrite(table, errors, device, ICC_CTLR_EL1, "ICC_CTLR_EL1", cpuif::readCtlr, cpuif::writeCtlr);
        readWrite(table, errors, device, ICC_SRE_EL1, "ICC_SRE_EL1", cpuif::readSre, cpuif::writeSre);
        readWrite(table, errors, device, ICC_IGRPEN0_EL1, "ICC_IGRPEN0_EL1", cpuif::readIgrpen0, cpuif::writeIgrpen0);
        readWrite(table, errors, device, ICC_IGRPEN1_EL1, "ICC_IGRPEN1_EL1", cpuif::readIgrpen1, cpuif::writeIgrpen1);
        readOnly(table, errors, device, ICC_IAR0_EL1, "ICC_IAR0_EL1", cpuif::readIar0);
        readOnly(table, errors, device, ICC_IAR1_EL1, "ICC_IAR1_EL1", cpuif::readIar1);
        readOnly(table, errors, device, ICC_HPPIR0_EL1, "ICC_HPPIR0_EL1", cpuif::readHppir0);
        readOnly(table, errors, device, ICC_HPPIR1_EL1, "ICC_HPPIR1_EL1", cpuif::readHppir1);
        readOnly(table, errors, device, ICC_RPR_EL1, "ICC_RPR_EL1", cpuif::readRpr);
        writeOnly(table, errors, device, ICC_EOIR0_EL1, "ICC_EOIR0_EL1", cpuif::writeEoir0);
        writeOnly(table, errors, device, ICC_EOIR1_EL1, "ICC_EOIR1_EL1", cpuif::writeEoir1);
        writeOnly(table, errors, device, ICC_DIR_EL1, "ICC_DIR_EL1", cpuif::writeDir);
        writeOnly(table, errors, device, ICC_SGI0R_EL1, "ICC_SGI0R_EL1", cpuif::writeSgi0r);
        writeOnly(table, errors, device, ICC_SGI1R_EL1, "ICC_SGI1R_EL1", cpuif::writeSgi1r);
        writeOnly(table, errors, device, ICC_ASGI1R_EL1, "ICC_ASGI1R_EL1", cpuif::writeAsgi1r);
        for (int n = 0; n < cpuif.activePriorityRegisterCount(); n++) {
            int index = n;
            readWrite(table, errors, device, iccAp0r(n), "ICC_AP0R" + n + "_EL1", () -> cpuif.readAp0r(index), v -> cpuif.writeAp0r(index, v));
            readWrite(table, errors, device, iccAp1r(n), "ICC_AP1R" + n + "_EL1", () -> cpuif.readAp1r(index), v -> cpuif.writeAp1r(index, v));
        }
    }

    private static void readWrite(SystemRegisterTable table, GuestErrorLog errors, String device, SysReg reg, String name, LongSupplier reader,
                                  LongConsumer writer) {
        table.register(reg, SystemRegisterTable.Path.UNDEF_TRAP, new IccRegister(errors, device, name, reader, writer));
    }

    private static void readOnly(SystemRegisterTable table, GuestErrorLog errors, String device, SysReg reg, String name, LongSupplier reader) {
        table.register(reg, SystemRegisterTable.Path.UNDEF_TRAP, new IccRegister(errors, device, name, reader, null));
    }

    private static void writeOnly(SystemRegisterTable table, GuestErrorLog errors, String device, SysReg reg, String name, LongConsumer writer) {
        table.register(reg, SystemRegisterTable.Path.UNDEF_TRAP, new IccRegister(errors, device, name, null, writer));
    }

    /**
     * One ICC register: a reader for its MRS encoding and a writer for its MSR encoding, either
     * of which may be absent (no such encoding: the access is UNDEFINED).
     */
    record IccRegister(GuestErrorLog errors, String device, String name, LongSupplier reader, LongConsumer writer) implements EmulatedRegister {
        @Override
        public long read(Cpu cpu) {
            if (reader == null) {
                // Not reached through the UNDEF path, which asks accessible() first.
                errors.report(device, RegisterError.READ_WRITE_ONLY, "MRS of " + name + " (UNDEFINED)");
                return 0;
            }
            return reader.getAsLong();
        }

        @Override
        public void write(Cpu cpu, long value) {
            if (writer == null) {
                errors.report(device, RegisterError.WRITE_READ_ONLY, String.format("MSR %s, 0x%x (UNDEFINED)", name, value));
                return;
            }
            writer.accept(value);
        }

        @Override
        public boolean accessible(Cpu cpu, boolean read) {
            return accessibleAt(cpu.el(), read);
        }

        /** The {@link #accessible} rule for exception level {@code el}. */
        boolean accessibleAt(int el, boolean read) {
            if (el < 1) {
                return false;
            }
            if (read && reader == null) {
                errors.report(device, RegisterError.READ_WRITE_ONLY, "MRS of " + name + ": delivered as UNDEFINED");
                return false;
            }
            if (!read && writer == null) {
                errors.report(device, RegisterError.WRITE_READ_ONLY, "MSR to " + name + ": delivered as UNDEFINED");
                return false;
            }
            return true;
        }
    }
}
