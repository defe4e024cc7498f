package dev.aarvark.emulator.cpu;

import dev.aarvark.emulator.cpu.unicorn.Arm64Reg;
import dev.aarvark.emulator.cpu.unicorn.Unicorn;
import dev.aarvark.memory.PhysicalAccessException;
import dev.aarvark.memory.PhysicalMemory;
import dev.aarvark.memory.mmu.AccessKind;
import dev.aarvark.memory.mmu.Translation;
import dev.aarvark.memory.mmu.TranslationRegime;
import dev.aarvark.memory.mmu.Vmsav8Walker;
import dev.aarvark.memory.mmu.WalkResult;

import java.io.ByteArrayOutputStream;

/**
 * The guest CPU's architectural state as the CPU core sees it: general-purpose and system registers
 * through the Unicorn engine, and the guest's <em>virtual</em> memory through the VMSAv8-64 walker
 * over the board's physical memory (so Java reads what the guest would read at the same address).
 *
 * <p>Used only on the vCPU thread. Virtual reads never touch the guest's TLB or page tables; they
 * walk the tables as the registers are now.
 */
public final class Cpu {
    private final Unicorn uc;
    private final CpuModel model;
    private final PhysicalMemory memory;
    private final Vmsav8Walker walker = new Vmsav8Walker();

    public Cpu(Unicorn uc, CpuModel model, PhysicalMemory memory) {
        this.uc = uc;
        this.model = model;
        this.memory = memory;
    }

    /** The engine (for the few callers that need raw access). */
    public Unicorn engine() {
        return uc;
    }

    public CpuModel model() {
        return model;
    }

    public PhysicalMemory memory() {
        return memory;
    }

    public long pc() {
        return uc.reg(Arm64Reg.PC);
    }

    public void setPc(long pc) {
        uc.setReg(Arm64Reg.PC, pc);
    }

    /** Xn for n in 0..30; n = 31 reads as the zero register. */
    public long x(int n) {
        return n == 31 ? 0 : uc.reg(Arm64Reg.x(n));
    }

    /** Writes Xn for n in 0..30; n = 31 (XZR) is ignored. */
    public void setX(int n, long v) {
        if (n != 31) {
            uc.setReg(Arm64Reg.x(n), v);
        }
    }

    /** The current stack pointer (SP_EL0 or SP_ELx per PSTATE.SPSel). */
    public long sp() {
        return uc.reg(Arm64Reg.SP);
    }

    public long pstate() {
        return uc.reg(Arm64Reg.PSTATE);
    }

    /** Current exception level (0 or 1 for guests). */
    public int el() {
        return Pstate.el(pstate());
    }

    public long read(SysReg r) {
        return uc.sysReg(r.op0(), r.op1(), r.crn(), r.crm(), r.op2());
    }

    /** Writes a system register through CP_REG (which also rebuilds QEMU's cached hflags). */
    public void write(SysReg r, long v) {
        sysRegWrites++;
        uc.setSysReg(r.op0(), r.op1(), r.crn(), r.crm(), r.op2(), v);
    }

    private long sysRegWrites;

    /** System-register writes made through {@link #write} so far (the guest's own MSRs not included). */
    public long sysRegWrites() {
        return sysRegWrites;
    }

    private static final int[] TABLE_REGS = {Arm64Reg.TTBR0_EL1, Arm64Reg.TTBR1_EL1, Arm64Reg.MAIR_EL1};
    private final long[] tableRegs = new long[TABLE_REGS.length];

    /** The EL1&0 translation regime as the registers are now. */
    public TranslationRegime regime() {
        uc.regs(TABLE_REGS, tableRegs);
        return new TranslationRegime(read(SysReg.SCTLR_EL1), read(SysReg.TCR_EL1), tableRegs[0], tableRegs[1],
                tableRegs[2], model.paBits());
    }

    /** Walks {@code va} through the guest's stage-1 tables for an access of {@code kind}. */
    public WalkResult translate(long va, AccessKind kind, boolean unprivileged) {
        return walker.walk(va, kind, unprivileged, regime(), memory);
    }

    /**
     * The 32-bit instruction at virtual {@code va} as the current EL would fetch it, or
     * {@link #NO_INSTRUCTION} if the fetch would fault or the address is not RAM.
     */
    public long fetchInstruction(long va) {
        WalkResult r = translate(va, AccessKind.FETCH, el() == 0);
        if (!(r instanceof Translation t)) {
            return NO_INSTRUCTION;
        }
        try {
            return memory.readInt(t.pa()) & 0xffff_ffffL;
        } catch (PhysicalAccessException e) {
            return NO_INSTRUCTION;
        }
    }

    /** Returned by {@link #fetchInstruction} when there is no instruction to read. */
    public static final long NO_INSTRUCTION = -1;

    /**
     * Reads {@code len} bytes of guest virtual memory with the permissions of the current EL
     * (page by page).
     *
     * @throws GuestMemoryFault if any byte cannot be read
     */
    public byte[] readVirtual(long va, int len) {
        byte[] out = new byte[len];
        int done = 0;
        while (done < len) {
            long addr = va + done;
            long pa = physicalFor(addr, AccessKind.READ);
            int chunk = (int) Math.min(len - done, 4096 - (addr & 4095));
            try {
                memory.read(pa, out, done, chunk);
            } catch (PhysicalAccessException e) {
                throw new GuestMemoryFault(addr, "is not backed by RAM (physical 0x" + Long.toHexString(pa) + ")");
            }
            done += chunk;
        }
        return out;
    }

    /** Writes bytes to guest virtual memory with the permissions of the current EL. */
    public void writeVirtual(long va, byte[] data) {
        int done = 0;
        while (done < data.length) {
            long addr = va + done;
            long pa = physicalFor(addr, AccessKind.WRITE);
            int chunk = (int) Math.min(data.length - done, 4096 - (addr & 4095));
            try {
                memory.write(pa, data, done, chunk);
            } catch (PhysicalAccessException e) {
                throw new GuestMemoryFault(addr, "is not backed by RAM (physical 0x" + Long.toHexString(pa) + ")");
            }
            done += chunk;
        }
    }

    /** Reads a NUL-terminated string of at most {@code max} bytes at guest virtual {@code va}. */
    public byte[] readVirtualCString(long va, int max) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long addr = va;
        while (out.size() < max) {
            long pa = physicalFor(addr, AccessKind.READ);
            int chunk = (int) Math.min(max - out.size(), 4096 - (addr & 4095));
            for (int i = 0; i < chunk; i++) {
                byte b;
                try {
                    b = memory.readByte(pa + i);
                } catch (PhysicalAccessException e) {
                    throw new GuestMemoryFault(addr + i, "is not backed by RAM");
                }
                if (b == 0) {
                    return out.toByteArray();
                }
                out.write(b);
            }
            addr += chunk;
        }
        return out.toByteArray();
    }

    private long physicalFor(long va, AccessKind kind) {
        WalkResult r = translate(va, kind, el() == 0);
        if (r instanceof Translation t) {
            return t.pa();
        }
        throw new GuestMemoryFault(va, "does not translate: " + r);
    }

    /** A guest virtual address Java could not access on the guest's behalf. */
    public static final class GuestMemoryFault extends RuntimeException {
        private final long va;

        public GuestMemoryFault(long va, String reason) {
            super("guest virtual address 0x" + Long.toHexString(va) + " " + reason);
            this.va = va;
        }

        public long va() {
            return va;
        }
    }
}
