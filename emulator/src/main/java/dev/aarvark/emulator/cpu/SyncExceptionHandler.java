package dev.aarvark.emulator.cpu;

import dev.aarvark.emulator.cpu.psci.Psci;
import dev.aarvark.emulator.cpu.unicorn.Unicorn;
import dev.aarvark.emulator.run.MachineExit;
import dev.aarvark.emulator.run.RunControl;

import dev.aarvark.memory.mmu.AccessKind;
import dev.aarvark.memory.mmu.Translation;
import dev.aarvark.memory.mmu.WalkResult;
import java.util.EnumMap;
import java.util.Map;

/**
 * The interrupt hook: every synchronous exception libunicorn reports lands here and is either served
 * by the "firmware" (PSCI, semihosting, emulated system registers) or delivered to the guest with an
 * architecturally correct syndrome through {@link ExceptionEntry}.
 *
 * <p>Runs on the vCPU thread inside {@code uc_emu_start}. Never throws for guest behaviour; an
 * {@code intno} the core does not know is an emulator error that ends the run.
 */
public final class SyncExceptionHandler implements Unicorn.InterruptHook {
    /** Counters by exception class, for the benchmark breakdown. */
    public enum Counter { SVC, HVC, SMC, BRK, UNDEF, DATA_ABORT, INSTRUCTION_ABORT, PSCI, SEMIHOSTING, SYSREG_TRAP }

    private final Cpu cpu;
    private final ExceptionEntry entry;
    private final Psci psci;
    private final UndefinedInstructionHandler undefined;
    private final AbortSyndromes aborts;
    private final RunControl control;
    private final long[] counts = new long[Counter.values().length];

    public SyncExceptionHandler(Cpu cpu, ExceptionEntry entry, Psci psci, UndefinedInstructionHandler undefined,
                                RunControl control) {
        this.cpu = cpu;
        this.entry = entry;
        this.psci = psci;
        this.undefined = undefined;
        this.aborts = new AbortSyndromes(cpu);
        this.control = control;
    }

    @Override
    public void onInterrupt(int intno) {
        long pc = cpu.pc();
        switch (intno) {
            case UnicornIntno.SWI -> {
                count(Counter.SVC);
                entry.enter(ExceptionEntry.Kind.SYNC, pc, Esr.of(Esr.EC_SVC64, imm16(pc - 4)), ExceptionEntry.NO_FAR);
            }
            case UnicornIntno.HVC, UnicornIntno.SMC -> callFirmware(intno == UnicornIntno.HVC, pc);
            case UnicornIntno.BKPT -> {
                count(Counter.BRK);
                entry.enter(ExceptionEntry.Kind.SYNC, pc, Esr.of(Esr.EC_BRK64, imm16(pc)), ExceptionEntry.NO_FAR);
            }
            case UnicornIntno.UDEF, UnicornIntno.SEMIHOST -> {
                count(Counter.UNDEF);
                undefined.handle(pc, this);
            }
            case UnicornIntno.DATA_ABORT -> {
                count(Counter.DATA_ABORT);
                AbortSyndromes.Syndrome s = aborts.dataAbort(pc);
                entry.enter(ExceptionEntry.Kind.SYNC, pc, s.esr(), s.far());
            }
            case UnicornIntno.PREFETCH_ABORT -> {
                count(Counter.INSTRUCTION_ABORT);
                AbortSyndromes.Syndrome s = aborts.instructionAbort(pc);
                entry.enter(ExceptionEntry.Kind.SYNC, pc, s.esr(), s.far());
            }
            default -> {
                control.requestExit(MachineExit.of(MachineExit.Reason.EMULATOR_ERROR,
                        "libunicorn reported exception intno " + intno + " at PC 0x" + Long.toHexString(pc)
                                + ", which aarvark does not handle"));
                cpu.engine().emuStop();
            }
        }
    }

    /**
     * HVC or SMC from EL1 (at EL0 both are UNDEFINED and arrive as UDEF).
     *
     * <p>HVC is the {@code virt} board's PSCI conduit, and as on QEMU 7.2 every HVC reaches the
     * firmware: a PSCI function is served, and any other function ID returns NOT_SUPPORTED (-1) in
     * X0, the SMC Calling Convention's answer to an unknown function. SMC also serves the PSCI
     * functions (aarvark answers PSCI on both conduits); any other SMC meets no EL3 firmware and is
     * UNDEFINED (EC 0x00, ELR = the SMC itself), as QEMU reports it.
     */
    private void callFirmware(boolean hvc, long pcAfter) {
        count(hvc ? Counter.HVC : Counter.SMC);
        if (psci.isPsciCall(cpu.x(0))) {
            count(Counter.PSCI);
            psci.call(cpu);
        } else if (hvc) {
            cpu.setX(0, Psci.NOT_SUPPORTED);
        } else {
            deliverUndefined(pcAfter - 4);
        }
    }

    /**
     * libunicorn stopped because it could not fetch the instruction at {@code pc} (its
     * {@code UC_ERR_FETCH_PROT} or {@code UC_ERR_FETCH_UNMAPPED}; the PC is the fetch address, which
     * is also the preferred return address): the fetch's physical address holds no RAM. As QEMU 7.2
     * (measured by the ifetch guest): a fetch from a hole is an instruction abort with IFSC 0x10,
     * synchronous external abort (EC 0x21, or 0x20 from EL0; FAR = ELR = {@code pc}). QEMU executes
     * the word a device register reads as; aarvark does not execute from devices and makes every
     * fetch from a device register UNDEFINED (EC 0x00, ELR = {@code pc}), which is what QEMU gives
     * for the registers that read as an undefined encoding (0, "virt").
     */
    public void fetchFault(long pc) {
        WalkResult r = cpu.translate(pc, AccessKind.FETCH, cpu.el() == 0);
        if (r instanceof Translation t && cpu.memory().isDevice(t.pa())) {
            count(Counter.UNDEF);
            deliverUndefined(pc);
            return;
        }
        count(Counter.INSTRUCTION_ABORT);
        AbortSyndromes.Syndrome s = aborts.instructionAbort(pc);
        entry.enter(ExceptionEntry.Kind.SYNC, pc, s.esr(), s.far());
    }

    /** Delivers "unknown reason" (EC 0x00) for the instruction at {@code pc}. */
    void deliverUndefined(long pc) {
        entry.enter(ExceptionEntry.Kind.SYNC, pc, Esr.of(Esr.EC_UNKNOWN, 0), ExceptionEntry.NO_FAR);
    }

    /** Delivers a synchronous exception with the given syndrome, ELR = {@code pc}. */
    void deliver(long pc, long esr, long far) {
        entry.enter(ExceptionEntry.Kind.SYNC, pc, esr, far);
    }

    void count(Counter c) {
        counts[c.ordinal()]++;
    }

    /** Exceptions handled so far, by class. */
    public Map<Counter, Long> counts() {
        Map<Counter, Long> m = new EnumMap<>(Counter.class);
        for (Counter c : Counter.values()) {
            m.put(c, counts[c.ordinal()]);
        }
        return m;
    }

    private int imm16(long va) {
        long insn = cpu.fetchInstruction(va);
        return insn == Cpu.NO_INSTRUCTION ? 0 : (int) ((insn >>> 5) & 0xffff);
    }
}
