package dev.aarvark.emulator.cpu;

import dev.aarvark.emulator.cpu.psci.Psci;
import dev.aarvark.emulator.cpu.semihosting.Semihosting;
import dev.aarvark.emulator.cpu.sysreg.SysregHook;
import dev.aarvark.emulator.cpu.sysreg.SystemRegisterTable;
import dev.aarvark.emulator.cpu.unicorn.SysInsnFilter;
import dev.aarvark.emulator.cpu.unicorn.Unicorn;
import dev.aarvark.emulator.run.MachineExit;
import dev.aarvark.emulator.run.RunControl;
import dev.aarvark.memory.GuestRam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Everything aarvark adds to libunicorn's CPU, installed as its hooks: synchronous exceptions
 * (SVC/HVC/SMC with PSCI, UNDEF with the system register table and semihosting; Arm ARM D1.10),
 * the MRS/MSR hook for the registers libunicorn lacks, the SYS hook that honours instruction-cache
 * maintenance (docs/libunicorn.md, "Rewritten code"), and the unmapped-access hook that names an
 * address above the physical address limit in an emulator error.
 *
 * <p>Native pre-filters keep the millions of other system-register accesses out of Java; the MSR
 * and SYS filters also count what may change a translation (the IC hook's epoch). vCPU thread only.
 */
public final class CpuHooks {
    private static final Logger LOG = LoggerFactory.getLogger(CpuHooks.class);
    private static final AtomicBoolean FP_TRAPS_WARNED = new AtomicBoolean();

    private final SyncExceptionHandler exceptions;
    private final SysregHook sysregHook;
    private final InstructionCacheMaintenance icache;

    private CpuHooks(SyncExceptionHandler exceptions, SysregHook sysregHook, InstructionCacheMaintenance icache) {
        this.exceptions = exceptions;
        this.sysregHook = sysregHook;
        this.icache = icache;
    }

    /**
     * Installs the hooks on {@code uc}.
     *
     * @param semihosting the semihosting service, or null when it is off
     * @param ram         the RAM whose translations instruction-cache maintenance drops
     */
    public static CpuHooks install(Unicorn uc, Cpu cpu, ExceptionEntry entry, SystemRegisterTable sysregs,
                                   Semihosting semihosting, RunControl control, GuestRam ram) {
        SyncExceptionHandler exceptions = new SyncExceptionHandler(cpu, entry, new Psci(control),
                new UndefinedInstructionHandler(cpu, sysregs, semihosting, control), control);
        uc.addInterruptHook(exceptions);
        // Every physical address below 2^PARange is mapped, so this fires only for an address
        // above it that the MMU did not already fault; it names the address in the error.
        uc.addUnmappedHook((type, address, size, value) -> {
            control.requestExit(MachineExit.of(MachineExit.Reason.EMULATOR_ERROR, String.format(
                    "%d-byte %s of unmapped physical address 0x%x", size,
                    type == Unicorn.MEM_FETCH_UNMAPPED ? "fetch" : type == Unicorn.MEM_WRITE_UNMAPPED ? "write" : "read",
                    address)));
            return false;
        });
        // Rewritten code: libunicorn misses most stores into code pages, so the guest's own
        // instruction-cache maintenance drops the stale translations. It needs the MSR hook's
        // counts (its kept translation's epoch) and every SCTLR_EL1 write (when IC IALLU may
        // drop less than all of RAM).
        SysregHook sysregHook = null;
        SysInsnFilter msrFilter = null;
        if (sysregs.uses(SystemRegisterTable.Path.INSN_HOOK)) {
            sysregHook = new SysregHook(cpu, sysregs);
            uc.addSysInsnHook(Unicorn.INS_MRS, sysregHook.filter(), sysregHook::onMrs);
            msrFilter = sysregHook.filter().pass(SysReg.SCTLR_EL1.key());
            for (SysReg r : InstructionCacheMaintenance.TRANSLATION_CONTROL) {
                msrFilter.count(r.key());
            }
        }
        SysInsnFilter sysFilter = InstructionCacheMaintenance.sysFilter();
        SysInsnFilter msrCounts = msrFilter;
        InstructionCacheMaintenance icache = new InstructionCacheMaintenance(cpu, ram, msrCounts == null ? null
                : () -> msrCounts.counted() + sysFilter.counted() + cpu.sysRegWrites(), msrFilter != null);
        if (sysregHook != null) {
            SysregHook emulated = sysregHook;
            int sctlr = SysReg.SCTLR_EL1.key();
            uc.addSysInsnHook(Unicorn.INS_MSR, msrFilter, (reg, key, value) -> {
                if (key == sctlr) {
                    icache.onSctlrWrite(value);
                    return false;
                }
                return emulated.onMsr(reg, key, value);
            });
        }
        boolean filtered = uc.addSysInsnHook(Unicorn.INS_SYS, sysFilter, icache::onSys);
        String noFpTraps = uc.library().fpAccessTrapsMissing();
        if (noFpTraps != null && FP_TRAPS_WARNED.compareAndSet(false, true)) {
            LOG.warn("FP/SIMD accesses never trap with {} (CPACR_EL1.FPEN, CPTR_EL2/EL3.TFP are ignored): {}",
                    uc.library().path(), noFpTraps);
        }
        LOG.debug("system-instruction hooks: {}", filtered ? "native pre-filter" : "filtered in Java");
        return new CpuHooks(exceptions, sysregHook, icache);
    }

    /** The exception handler (its counters feed the statistics). */
    public SyncExceptionHandler exceptions() {
        return exceptions;
    }

    /** System-register accesses emulated in Java so far. */
    public long sysregsEmulated() {
        return sysregHook == null ? 0 : sysregHook.emulated();
    }

    /** The instruction-cache maintenance hook (its counters feed the statistics). */
    public InstructionCacheMaintenance icache() {
        return icache;
    }
}
