package dev.aarvark.emulator.cpu.unicorn;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One libunicorn AArch64 engine ({@code uc_engine*}), bound through Java's FFM API.
 *
 * <p>Only the calls aarvark uses, typed: registers (including {@code UC_ARM64_REG_CP_REG} for any
 * system register), zero-copy RAM mapping ({@code uc_mem_map_ptr}), MMIO regions with Java
 * callbacks, the interrupt / MRS-MSR-SYS / unmapped-memory hooks, start and stop.
 *
 * <p>Threading: every method except {@link #emuStop()} must be called on the thread that runs the
 * guest (the vCPU thread); callbacks run on that thread, inside {@link #emuStart}. {@code emuStop}
 * may be called from any thread.
 *
 * <p>A Java exception must never cross an FFM upcall (the JVM would terminate). Every callback is
 * wrapped: the first throwable is recorded, emulation is asked to stop, a neutral value is returned
 * to C, and {@link #emuStart} rethrows it as an {@link UpcallFailedException} once the library
 * returns.
 */
public final class Unicorn implements AutoCloseable {
    /** {@code UC_ARCH_ARM64}. */
    private static final int UC_ARCH_ARM64 = 2;
    /** {@code UC_MODE_ARM} (little-endian). */
    private static final int UC_MODE_ARM = 0;
    private static final int UC_CTL_IO_WRITE = 1;
    private static final int UC_CTL_UC_USE_EXITS = 4;
    private static final int UC_CTL_CPU_MODEL = 7;
    private static final int UC_CTL_TB_REMOVE_CACHE = 9;
    private static final int UC_CTL_TB_FLUSH = 10;
    private static final int UC_CTL_TCG_BUFFER_SIZE = 13;

    /** {@code UC_HOOK_INTR}. */
    private static final int UC_HOOK_INTR = 1;
    /** {@code UC_HOOK_INSN}. */
    private static final int UC_HOOK_INSN = 1 << 1;
    /** {@code UC_HOOK_MEM_READ_UNMAPPED | WRITE_UNMAPPED | FETCH_UNMAPPED}. */
    private static final int UC_HOOK_MEM_UNMAPPED = (1 << 4) | (1 << 5) | (1 << 6);

    /** {@code UC_PROT_ALL}. */
    public static final int PROT_ALL = 7;

    /** {@code uc_arm64_insn} values for {@link #addSysInsnHook}. */
    public static final int INS_MRS = 1;
    public static final int INS_MSR = 2;
    public static final int INS_SYS = 3;
    public static final int INS_SYSL = 4;

    /** {@code uc_mem_type} values passed to {@link UnmappedHook}. */
    public static final int MEM_READ_UNMAPPED = 19;
    public static final int MEM_WRITE_UNMAPPED = 20;
    public static final int MEM_FETCH_UNMAPPED = 21;

    /** The interrupt hook: every exception Unicorn does not handle itself ({@code intno}). */
    @FunctionalInterface
    public interface InterruptHook {
        void onInterrupt(int intno);
    }

    /**
     * MRS/MSR/SYS/SYSL hook. {@code reg} is the Unicorn id of Xt; {@code key} packs the encoding as
     * {@code op0<<14 | op1<<11 | CRn<<7 | CRm<<3 | op2} (the instruction's bits 20..5); {@code value}
     * is the value being written (MSR/SYS). Return true to skip the instruction (the caller writes
     * the result itself); never skip a register Unicorn does not implement (docs/libunicorn.md: it
     * loops forever). The hook sees every MRS/MSR of the guest (millions per Linux boot), so it
     * must reject uninteresting registers in a few nanoseconds.
     */
    @FunctionalInterface
    public interface SysInsnHook {
        boolean onSysInsn(int reg, int key, long value);
    }

    /** Callbacks of one MMIO region; offsets are relative to the region start. */
    public interface MmioHandler {
        long read(long offset, int size);

        void write(long offset, int size, long value);
    }

    /** Unmapped physical access; return true if the callback mapped it and the access may retry. */
    @FunctionalInterface
    public interface UnmappedHook {
        boolean onUnmapped(int memType, long address, int size, long value);
    }

    /** A callback threw; the original throwable is the cause. */
    public static final class UpcallFailedException extends RuntimeException {
        UpcallFailedException(String where, Throwable cause) {
            super("emulator failure inside a Unicorn " + where + " callback: " + cause, cause);
        }
    }

    private static final MethodHandle INTR_TARGET;
    private static final MethodHandle SYS_TARGET;
    private static final MethodHandle MMIO_READ_TARGET;
    private static final MethodHandle MMIO_WRITE_TARGET;
    private static final MethodHandle UNMAPPED_TARGET;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            INTR_TARGET = l.findVirtual(IntrUpcall.class, "call",
                    MethodType.methodType(void.class, MemorySegment.class, int.class, MemorySegment.class));
            SYS_TARGET = l.findVirtual(SysUpcall.class, "call", MethodType.methodType(int.class,
                    MemorySegment.class, int.class, MemorySegment.class, MemorySegment.class));
            MMIO_READ_TARGET = l.findVirtual(MmioUpcall.class, "read", MethodType.methodType(long.class,
                    MemorySegment.class, long.class, int.class, MemorySegment.class));
            MMIO_WRITE_TARGET = l.findVirtual(MmioUpcall.class, "write", MethodType.methodType(void.class,
                    MemorySegment.class, long.class, int.class, long.class, MemorySegment.class));
            UNMAPPED_TARGET = l.findVirtual(UnmappedUpcall.class, "call", MethodType.methodType(boolean.class,
                    MemorySegment.class, int.class, long.class, int.class, long.class, MemorySegment.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final UnicornLibrary lib;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment handle;
    private final MemorySegment scratch;
    private final MemorySegment cpReg;
    private final MemorySegment batchIds;
    private final MemorySegment batchVals;
    private final MemorySegment batchPtrs;
    private final List<Object> keepAlive = new ArrayList<>();
    /** When on, every callback's duration is added to {@link #callbackNanos()}. */
    private boolean profiling;
    private long callbackNanos;
    private long callbacks;
    private volatile Throwable upcallFailure;
    private volatile String upcallFailureWhere;
    private boolean closed;

    /**
     * Engines are opened and initialised one at a time (libunicorn initialises an engine lazily, on
     * its first call after {@code uc_open}). Setting up one engine while another runs can corrupt
     * the running one; this lock narrows that, and callers must still not set up an engine while
     * another one runs (docs/libunicorn.md, "Two engines in one process").
     */
    private static final Object CREATION = new Object();

    private Unicorn(UnicornLibrary lib, int cpuModel) {
        this.lib = lib;
        MemorySegment out = arena.allocate(ADDRESS);
        this.scratch = arena.allocate(64, 16);
        this.cpReg = arena.allocate(32, 8);
        this.batchIds = arena.allocate(JAVA_INT, MAX_BATCH);
        this.batchVals = arena.allocate(JAVA_LONG, MAX_BATCH);
        this.batchPtrs = arena.allocate(ADDRESS, MAX_BATCH);
        for (int i = 0; i < MAX_BATCH; i++) {
            batchPtrs.setAtIndex(ADDRESS, i, batchVals.asSlice(8L * i, 8));
        }
        synchronized (CREATION) {
            check(invokeInt(lib.ucOpen, UC_ARCH_ARM64, UC_MODE_ARM, out), "uc_open(ARM64)");
            this.handle = out.get(ADDRESS, 0);
            // The CPU model can be set only right after uc_open (docs/libunicorn.md).
            check(ctl(UC_CTL_CPU_MODEL, UC_CTL_IO_WRITE, 1, cpuModel), "uc_ctl(CPU_MODEL=" + cpuModel + ")");
            // Exits mode with an empty exit set: emulation never stops at an "until" address. Without it,
            // every uc_emu_start's return invalidates the translation at until - 1, which walks the guest's
            // page tables for that address (a stray walk of TTBR1 for until = ~0) on every slice.
            check(ctl(UC_CTL_UC_USE_EXITS, UC_CTL_IO_WRITE, 1, 1), "uc_ctl(USE_EXITS)");
            // A register read makes libunicorn initialise the engine now, inside the lock.
            reg(Arm64Reg.PC);
        }
    }

    /** Opens an engine with the given {@code UC_CPU_ARM64_*} model (0 = A57, 1 = A53, 2 = A72). */
    public static Unicorn open(int cpuModel) {
        return new Unicorn(UnicornLibrary.get(), cpuModel);
    }

    /** The library this engine runs on. */
    public UnicornLibrary library() {
        return lib;
    }

    // ---------------------------------------------------------------------------------------------
    // Registers

    /** Reads a 64-bit register by Unicorn id. */
    public long reg(int id) {
        check(regRead(id, scratch), "uc_reg_read", id);
        return scratch.get(JAVA_LONG, 0);
    }

    /** Writes a 64-bit register by Unicorn id. */
    public void setReg(int id, long value) {
        scratch.set(JAVA_LONG, 0, value);
        check(regWrite(id, scratch), "uc_reg_write", id);
    }

    /**
     * Reads several 64-bit registers in one call ({@code uc_reg_read_batch}); {@code out[i]} gets
     * register {@code ids[i]}. At most {@link #MAX_BATCH} registers.
     */
    public void regs(int[] ids, long[] out) {
        int n = ids.length;
        if (n > MAX_BATCH || out.length < n) {
            throw new IllegalArgumentException("batch of " + n + " registers (max " + MAX_BATCH + ")");
        }
        for (int i = 0; i < n; i++) {
            batchIds.setAtIndex(JAVA_INT, i, ids[i]);
        }
        int err;
        try {
            err = (int) lib.ucRegReadBatch.invokeExact(handle, batchIds, batchPtrs, n);
        } catch (Throwable t) {
            throw new UnicornException("uc_reg_read_batch failed", t);
        }
        check(err, "uc_reg_read_batch");
        for (int i = 0; i < n; i++) {
            out[i] = batchVals.getAtIndex(JAVA_LONG, i);
        }
    }

    /** Largest {@link #regs} batch. */
    public static final int MAX_BATCH = 16;

    /** Reads a 128-bit SIMD register (Qn) as two longs: {@code out[0]} low, {@code out[1]} high. */
    public void reg128(int id, long[] out) {
        check(regRead(id, scratch), "uc_reg_read", id);
        out[0] = scratch.get(JAVA_LONG, 0);
        out[1] = scratch.get(JAVA_LONG, 8);
    }

    /** Reads any system register by encoding (op0, op1, CRn, CRm, op2) through {@code CP_REG}. */
    public long sysReg(int op0, int op1, int crn, int crm, int op2) {
        fillCpReg(op0, op1, crn, crm, op2, 0);
        check(regRead(Arm64Reg.CP_REG, cpReg), "uc_reg_read(CP_REG)",
                encodingName(op0, op1, crn, crm, op2));
        return cpReg.get(JAVA_LONG, 24);
    }

    /**
     * Writes any system register by encoding through {@code CP_REG}. In 2.1.x this also rebuilds
     * QEMU's cached hflags (EL, MMU index), which is how aarvark makes PSTATE changes take effect.
     */
    public void setSysReg(int op0, int op1, int crn, int crm, int op2, long value) {
        fillCpReg(op0, op1, crn, crm, op2, value);
        check(regWrite(Arm64Reg.CP_REG, cpReg), "uc_reg_write(CP_REG)",
                encodingName(op0, op1, crn, crm, op2));
    }

    private void fillCpReg(int op0, int op1, int crn, int crm, int op2, long value) {
        cpReg.set(JAVA_INT, 0, crn);
        cpReg.set(JAVA_INT, 4, crm);
        cpReg.set(JAVA_INT, 8, op0);
        cpReg.set(JAVA_INT, 12, op1);
        cpReg.set(JAVA_INT, 16, op2);
        cpReg.set(JAVA_LONG, 24, value);
    }

    private static String encodingName(int op0, int op1, int crn, int crm, int op2) {
        return "S" + op0 + "_" + op1 + "_C" + crn + "_C" + crm + "_" + op2;
    }

    // ---------------------------------------------------------------------------------------------
    // Memory

    /** Maps host memory (4 KiB aligned, size a multiple of 4 KiB) at a guest physical address. */
    public void memMapPtr(long address, MemorySegment memory, int perms) {
        check(invokeInt(lib.ucMemMapPtr, handle, address, memory.byteSize(), perms, memory),
                "uc_mem_map_ptr(0x" + Long.toHexString(address) + ", 0x" + Long.toHexString(memory.byteSize()) + ")");
    }

    /** Maps an MMIO region whose accesses call {@code handler} on the vCPU thread. */
    public void mmioMap(long address, long size, MmioHandler handler) {
        MmioUpcall up = new MmioUpcall(this, handler);
        Linker linker = Linker.nativeLinker();
        MemorySegment read = linker.upcallStub(MMIO_READ_TARGET.bindTo(up),
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS), arena);
        MemorySegment write = linker.upcallStub(MMIO_WRITE_TARGET.bindTo(up),
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS), arena);
        keepAlive.add(up);
        check(invokeInt(lib.ucMmioMap, handle, address, size, read, MemorySegment.NULL, write, MemorySegment.NULL),
                "uc_mmio_map(0x" + Long.toHexString(address) + ", 0x" + Long.toHexString(size) + ")");
    }

    /** Copies guest physical memory through Unicorn (for memory Java does not own). */
    public void memRead(long address, byte[] dst) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Math.max(1, dst.length));
            check(invokeInt(lib.ucMemRead, handle, address, buf, (long) dst.length), "uc_mem_read");
            MemorySegment.copy(buf, JAVA_BYTE, 0, dst, 0, dst.length);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Hooks

    /** Installs the interrupt hook ({@code UC_HOOK_INTR}). */
    public void addInterruptHook(InterruptHook hook) {
        IntrUpcall up = new IntrUpcall(this, hook);
        MemorySegment stub = Linker.nativeLinker().upcallStub(INTR_TARGET.bindTo(up),
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, ADDRESS), arena);
        addHook(UC_HOOK_INTR, stub, MemorySegment.NULL, up, 1, 0, -1);
    }

    /**
     * Installs an MRS, MSR or SYS instruction hook ({@code insn} one of {@link #INS_MRS},
     * {@link #INS_MSR}, {@link #INS_SYS}) that only the instructions {@code filter} passes reach,
     * and that counts the ones it counts. With the native pre-filter
     * (emulator/src/main/c/sys-insn-filter.c) the test runs in C, so the millions of other
     * system-register accesses of a Linux boot never cost a Java upcall; otherwise every
     * instruction reaches Java and is filtered there, with the same result.
     *
     * @return true if the native pre-filter is in use
     */
    public boolean addSysInsnHook(int insn, SysInsnFilter filter, SysInsnHook hook) {
        boolean inC = lib.sysFilter != null;
        SysUpcall up = new SysUpcall(this, hook, inC ? null : filter);
        MemorySegment stub = Linker.nativeLinker().upcallStub(SYS_TARGET.bindTo(up),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS), arena);
        if (inC) {
            addHook(UC_HOOK_INSN, lib.sysFilter, filter.toNative(stub, arena), up, 1, 0, insn);
        } else {
            filter.installedInJava();
            addHook(UC_HOOK_INSN, stub, MemorySegment.NULL, up, 1, 0, insn);
        }
        return inC;
    }

    /** Installs a hook on unmapped physical reads, writes and fetches. */
    public void addUnmappedHook(UnmappedHook hook) {
        UnmappedUpcall up = new UnmappedUpcall(this, hook);
        MemorySegment stub = Linker.nativeLinker().upcallStub(UNMAPPED_TARGET.bindTo(up),
                FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS),
                arena);
        addHook(UC_HOOK_MEM_UNMAPPED, stub, MemorySegment.NULL, up, 1, 0, -1);
    }

    private void addHook(int type, MemorySegment stub, MemorySegment userData, Object owner, long begin, long end, int insn) {
        MemorySegment hh = arena.allocate(JAVA_LONG);
        int err;
        try {
            err = insn < 0
                    ? (int) lib.ucHookAdd.invokeExact(handle, hh, type, stub, userData, begin, end)
                    : (int) lib.ucHookAddInsn.invokeExact(handle, hh, type, stub, userData, begin, end, insn);
        } catch (Throwable t) {
            throw new UnicornException("uc_hook_add failed", t);
        }
        check(err, "uc_hook_add(type=" + type + ")");
        keepAlive.add(owner);
    }

    // ---------------------------------------------------------------------------------------------
    // Execution

    /**
     * Runs the guest from {@code begin} until a stop, an exception no hook consumed, WFI, or
     * {@code count} instructions (0 = no limit); there is no stop address (exits mode, empty set). Returns the {@code uc_err} code; rethrows a
     * failure recorded inside a callback.
     */
    public int emuStart(long begin, long count) {
        int err;
        try {
            err = (int) lib.ucEmuStart.invokeExact(handle, begin, 0L, 0L, count);
        } catch (Throwable t) {
            throw new UnicornException("uc_emu_start failed", t);
        }
        Throwable f = upcallFailure;
        if (f != null) {
            upcallFailure = null;
            throw new UpcallFailedException(upcallFailureWhere, f);
        }
        return err;
    }

    /** Asks the running emulation to stop; safe from any thread (see the run loop for its caveats). */
    public void emuStop() {
        try {
            int ignored = (int) lib.ucEmuStop.invokeExact(handle);
        } catch (Throwable t) {
            throw new UnicornException("uc_emu_stop failed", t);
        }
    }

    /**
     * Drops the translated blocks holding code of {@code [va, vaEnd)}, a virtual range translated
     * by libunicorn through the guest's current instruction-fetch regime
     * ({@code UC_CTL_TB_REMOVE_CACHE}). The range must be mapped executable: libunicorn's
     * translation raises a guest fault otherwise.
     */
    public void removeTranslations(long va, long vaEnd) {
        int control = UC_CTL_TB_REMOVE_CACHE | (2 << 26) | (UC_CTL_IO_WRITE << 30);
        int err;
        try {
            err = (int) lib.ucCtl2.invokeExact(handle, control, va, vaEnd);
        } catch (Throwable t) {
            throw new UnicornException("uc_ctl failed", t);
        }
        check(err, "uc_ctl(TB_REMOVE_CACHE)");
    }

    /** True if {@link #ramAddressOfHost} and {@link #removeTranslationsOfRamAddress} are available (the pinned build). */
    public boolean canRemoveTranslationsByPhysical() {
        return lib.tbInvalidatePhysRange != null;
    }

    /**
     * libunicorn's internal RAM address ({@code ram_addr_t}) of host memory mapped with
     * {@link #memMapPtr}, or -1 if libunicorn does not know it as guest RAM. Pinned build only.
     */
    public long ramAddressOfHost(MemorySegment host) {
        requirePhysical();
        try {
            return (long) lib.ramAddrFromHost.invokeExact(handle, host);
        } catch (Throwable t) {
            throw new UnicornException("qemu_ram_addr_from_host failed", t);
        }
    }

    /**
     * Drops the translated blocks holding code of {@code [ramAddress, ramAddress + length)} (see
     * {@link #ramAddressOfHost}): libunicorn's physical-range invalidation, the one its own store
     * path uses for code pages. Safe inside hooks. Pinned build only.
     */
    public void removeTranslationsOfRamAddress(long ramAddress, long length) {
        requirePhysical();
        try {
            lib.tbInvalidatePhysRange.invokeExact(handle, ramAddress, ramAddress + length);
        } catch (Throwable t) {
            throw new UnicornException("tb_invalidate_phys_range failed", t);
        }
    }

    private void requirePhysical() {
        if (lib.tbInvalidatePhysRange == null) {
            throw new UnicornException(UnicornException.NOT_A_UC_ERR,
                    "physical translation invalidation is only known for the pinned libunicorn build");
        }
    }

    /** Drops every translated block (needed after guest code is rewritten behind Unicorn's back). */
    public void flushTranslations() {
        check(ctl(UC_CTL_TB_FLUSH, UC_CTL_IO_WRITE, 0, 0), "uc_ctl(TB_FLUSH)");
    }

    /** Sets the size of the translation buffer (bytes); only before the first run. */
    public void setTranslationBufferSize(int bytes) {
        check(ctl(UC_CTL_TCG_BUFFER_SIZE, UC_CTL_IO_WRITE, 1, bytes), "uc_ctl(TCG_BUFFER_SIZE)");
    }

    /**
     * The private {@code no_exit_request} byte of the pinned build (see {@link UnicornLibrary}):
     * when set, generated code skips the mid-block exit check, so asynchronous stops land only at
     * translation-block starts. Throws if the library is not the pinned build.
     */
    public void setNoExitRequest(boolean on) {
        noExitByte().set(JAVA_BYTE, 0, on ? (byte) 1 : (byte) 0);
    }

    /** Reads the private {@code no_exit_request} byte (pinned build only). */
    public boolean noExitRequest() {
        return noExitByte().get(JAVA_BYTE, 0) != 0;
    }

    private MemorySegment noExitByte() {
        if (!lib.isPinnedBuild()) {
            throw new UnicornException(UnicornException.NOT_A_UC_ERR,
                    "no_exit_request is only known for the pinned libunicorn build");
        }
        return MemorySegment.ofAddress(handle.address() + UnicornLibrary.PINNED_NO_EXIT_REQUEST_OFFSET).reinterpret(1);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            int ignored = (int) lib.ucClose.invokeExact(handle);
        } catch (Throwable t) {
            throw new UnicornException("uc_close failed", t);
        } finally {
            arena.close();
            keepAlive.clear();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Plumbing

    private int ctl(int type, int rw, int nargs, int arg) {
        int control = type | (nargs << 26) | (rw << 30);
        try {
            return (int) lib.ucCtl1.invokeExact(handle, control, arg);
        } catch (Throwable t) {
            throw new UnicornException("uc_ctl failed", t);
        }
    }

    private int regRead(int id, MemorySegment into) {
        try {
            return (int) lib.ucRegRead.invokeExact(handle, id, into);
        } catch (Throwable t) {
            throw new UnicornException("uc_reg_read failed", t);
        }
    }

    private int regWrite(int id, MemorySegment from) {
        try {
            return (int) lib.ucRegWrite.invokeExact(handle, id, from);
        } catch (Throwable t) {
            throw new UnicornException("uc_reg_write failed", t);
        }
    }

    private static int invokeInt(MethodHandle mh, Object... args) {
        try {
            return (int) mh.invokeWithArguments(args);
        } catch (Throwable t) {
            throw new UnicornException("libunicorn call failed: " + t, t);
        }
    }

    private void check(int err, String what) {
        if (err != 0) {
            throw new UnicornException(err, what + ": " + lib.strerror(err) + " (uc_err " + err + ")");
        }
    }

    private void check(int err, String what, Object detail) {
        if (err != 0) {
            throw new UnicornException(err, what + " " + detail + ": " + lib.strerror(err) + " (uc_err " + err + ")");
        }
    }

    /**
     * Turns on timing of every callback (two {@code System.nanoTime()} calls each): for the boot
     * benchmark's breakdown of time in Java handlers against time in generated code.
     */
    public void setProfiling(boolean on) {
        profiling = on;
    }

    /** Nanoseconds spent inside Java callbacks while profiling was on. */
    public long callbackNanos() {
        return callbackNanos;
    }

    /** Callbacks made while profiling was on. */
    public long callbacks() {
        return callbacks;
    }

    long profileStart() {
        return profiling ? System.nanoTime() : 0;
    }

    void profileEnd(long t0) {
        if (t0 != 0) {
            callbackNanos += System.nanoTime() - t0;
            callbacks++;
        }
    }

    void recordFailure(String where, Throwable t) {
        if (upcallFailure == null) {
            upcallFailureWhere = where;
            upcallFailure = t;
        }
        try {
            emuStop();
        } catch (Throwable ignored) {
            // Nothing more can be done from inside a callback.
        }
    }

    private record IntrUpcall(Unicorn uc, InterruptHook hook) {
        void call(MemorySegment h, int intno, MemorySegment user) {
            long t0 = uc.profileStart();
            try {
                hook.onInterrupt(intno);
            } catch (Throwable t) {
                uc.recordFailure("interrupt", t);
            }
            uc.profileEnd(t0);
        }
    }

    /** {@code javaFilter}: the filter to apply here, or null when the native pre-filter applied it. */
    private record SysUpcall(Unicorn uc, SysInsnHook hook, SysInsnFilter javaFilter) {
        int call(MemorySegment h, int reg, MemorySegment cp, MemorySegment user) {
            long t0 = uc.profileStart();
            try {
                MemorySegment c = cp.reinterpret(32);
                int key = (c.get(JAVA_INT, 8) << 14) | (c.get(JAVA_INT, 12) << 11) | (c.get(JAVA_INT, 0) << 7)
                        | (c.get(JAVA_INT, 4) << 3) | c.get(JAVA_INT, 16);
                if (javaFilter != null && !javaFilter.admit(key)) {
                    return 0;
                }
                return hook.onSysInsn(reg, key, c.get(JAVA_LONG, 24)) ? 1 : 0;
            } catch (Throwable t) {
                uc.recordFailure("system-instruction hook", t);
                return 0;
            } finally {
                uc.profileEnd(t0);
            }
        }
    }

    private record MmioUpcall(Unicorn uc, MmioHandler handler) {
        long read(MemorySegment h, long offset, int size, MemorySegment user) {
            long t0 = uc.profileStart();
            try {
                return handler.read(offset, size);
            } catch (Throwable t) {
                uc.recordFailure("MMIO read", t);
                return 0;
            } finally {
                uc.profileEnd(t0);
            }
        }

        void write(MemorySegment h, long offset, int size, long value, MemorySegment user) {
            long t0 = uc.profileStart();
            try {
                handler.write(offset, size, value);
            } catch (Throwable t) {
                uc.recordFailure("MMIO write", t);
            }
            uc.profileEnd(t0);
        }
    }

    private record UnmappedUpcall(Unicorn uc, UnmappedHook hook) {
        boolean call(MemorySegment h, int type, long address, int size, long value, MemorySegment user) {
            try {
                return hook.onUnmapped(type, address, size, value);
            } catch (Throwable t) {
                uc.recordFailure("unmapped-memory", t);
                return false;
            }
        }
    }
}
