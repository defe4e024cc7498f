package dev.aarvark.emulator.cpu.semihosting;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.SemihostingError;
import dev.aarvark.devices.io.ByteSink;
import dev.aarvark.emulator.cpu.Cpu;
import dev.aarvark.emulator.run.MachineExit;
import dev.aarvark.emulator.run.RunControl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Arm semihosting for AArch64 guests ({@code HLT #0xF000}; Arm "Semihosting for AArch32 and
 * AArch64", version 2.0): the operation number in W0, its parameter (a value or the address of a
 * parameter block of 64-bit fields) in X1, the result in X0. Enabled by {@code --semihosting}, as
 * QEMU's flag of the same name.
 *
 * <p>Implemented: SYS_OPEN (":tt" only: the console; handles are allocated lowest-free from 1 and
 * nothing is pre-opened, as QEMU's Arm-compatible semihosting does), SYS_CLOSE, SYS_WRITEC, SYS_WRITE0, SYS_WRITE,
 * SYS_ISTTY, SYS_ISERROR, SYS_ERRNO, SYS_CLOCK, SYS_TIME, SYS_ELAPSED, SYS_TICKFREQ, SYS_HEAPINFO,
 * SYS_GET_CMDLINE, SYS_EXIT and SYS_EXIT_EXTENDED. Everything else returns -1 (and errno EINVAL)
 * with a guest error, as a host that refuses the call. Exit status follows QEMU: reason
 * ADP_Stopped_ApplicationExit (0x20026) exits with the subcode, any other reason with status 1.
 *
 * <p>Bounds: a string is read up to {@link #MAX_STRING} bytes and a SYS_WRITE buffer up to
 * {@link #MAX_WRITE} bytes per call (the rest is reported as not written, which the protocol
 * allows), so a guest cannot make the host allocate without limit.
 */
public final class Semihosting {
    public static final int SYS_OPEN = 0x01;
    public static final int SYS_CLOSE = 0x02;
    public static final int SYS_WRITEC = 0x03;
    public static final int SYS_WRITE0 = 0x04;
    public static final int SYS_WRITE = 0x05;
    public static final int SYS_ISERROR = 0x08;
    public static final int SYS_ISTTY = 0x09;
    public static final int SYS_CLOCK = 0x10;
    public static final int SYS_TIME = 0x11;
    public static final int SYS_ERRNO = 0x13;
    public static final int SYS_GET_CMDLINE = 0x15;
    public static final int SYS_HEAPINFO = 0x16;
    public static final int SYS_EXIT = 0x18;
    public static final int SYS_EXIT_EXTENDED = 0x20;
    public static final int SYS_ELAPSED = 0x30;
    public static final int SYS_TICKFREQ = 0x31;

    /** ADP_Stopped_ApplicationExit. */
    public static final long APPLICATION_EXIT = 0x20026;
    /** Longest NUL-terminated string read per call. */
    public static final int MAX_STRING = 64 * 1024;
    /** Largest SYS_WRITE transfer per call. */
    public static final int MAX_WRITE = 1 << 20;

    private static final int EINVAL = 22;
    private static final int EBADF = 9;
    private static final String DEVICE = "semihosting";

    private final ByteSink console;
    private final RunControl control;
    private final GuestErrorLog errors;
    private final String commandLine;
    private final long startNanos = System.nanoTime();
    private long errno;
    /** Open handles (":tt" only); index = handle. */
    private final java.util.BitSet open = new java.util.BitSet();
    /** At most this many handles may be open at once. */
    static final int MAX_HANDLES = 64;

    public Semihosting(ByteSink console, RunControl control, String commandLine, GuestErrorLog errors) {
        this.errors = java.util.Objects.requireNonNull(errors, "errors");
        this.console = console;
        this.control = control;
        this.commandLine = commandLine == null ? "" : commandLine;
    }

    /**
     * Performs the call in W0/X1 and writes the result to X0; returns false, changing nothing,
     * when the call is a console write the console has no room for yet: the caller leaves the PC
     * on the {@code HLT} so that the guest makes the call again: the console never blocks the vCPU
     * thread, and the guest spins on the call (each retry counts as a semihosting call in the
     * statistics) until the console's writer has made room. A SYS_WRITE0 string
     * ({@link #MAX_STRING}) always fits an empty console buffer.
     */
    public boolean call(Cpu cpu) {
        int op = (int) cpu.x(0);
        long arg = cpu.x(1);
        long result;
        try {
            result = dispatch(cpu, op, arg);
        } catch (Cpu.GuestMemoryFault e) {
            errors.report(DEVICE, SemihostingError.BAD_PARAMETER_ADDRESS, "operation 0x" + Integer.toHexString(op) + ": " + e.getMessage());
            errno = EINVAL;
            result = -1;
        }
        if (result == NO_ROOM) {
            return false;
        }
        cpu.setX(0, result);
        return true;
    }

    /** {@link #dispatch}'s answer for a console write that must wait for room (no call returns it). */
    private static final long NO_ROOM = Long.MIN_VALUE;

    private long dispatch(Cpu cpu, int op, long arg) {
        switch (op) {
            case SYS_WRITEC -> {
                byte[] b = cpu.readVirtual(arg, 1);
                if (console.room() < 1) {
                    return NO_ROOM;
                }
                console.offer(b, 0, 1);
                return cpu.x(0);
            }
            case SYS_WRITE0 -> {
                // All or nothing: the call has no way to say it wrote part of the string.
                byte[] s = cpu.readVirtualCString(arg, MAX_STRING);
                if (console.room() < s.length) {
                    return NO_ROOM;
                }
                console.offer(s, 0, s.length);
                return cpu.x(0);
            }
            case SYS_WRITE -> {
                long[] p = params(cpu, arg, 3);
                long handle = p[0];
                long len = p[2];
                if (!isOpen(handle)) {
                    // As QEMU: nothing written, so the whole length is "not written".
                    errno = EBADF;
                    return len;
                }
                int n = (int) Math.min(Math.max(len, 0), MAX_WRITE);
                byte[] data = cpu.readVirtual(p[1], n);
                if (n > 0 && console.room() == 0) {
                    return NO_ROOM;
                }
                // A short write is the call's own answer: the guest's library writes the rest.
                int written = console.offer(data, 0, n);
                return len - written;
            }
            case SYS_OPEN -> {
                long[] p = params(cpu, arg, 3);
                byte[] name = cpu.readVirtualCString(p[0], (int) Math.min(Math.max(p[2] + 1, 1), 4096));
                String n = new String(name, StandardCharsets.UTF_8);
                if (n.equals(":tt")) {
                    int h = open.nextClearBit(1);
                    if (h >= MAX_HANDLES) {
                        errno = 24; // EMFILE
                        return -1;
                    }
                    open.set(h);
                    return h;
                }
                errors.report(DEVICE, SemihostingError.HOST_FILE_REFUSED, "'" + n + "'");
                errno = EINVAL;
                return -1;
            }
            case SYS_CLOSE -> {
                long h = params(cpu, arg, 1)[0];
                if (!isOpen(h)) {
                    errno = EBADF;
                    return -1;
                }
                open.clear((int) h);
                return 0;
            }
            case SYS_ISERROR -> {
                long status = params(cpu, arg, 1)[0];
                return status < 0 ? 1 : 0;
            }
            case SYS_ISTTY -> {
                long h = params(cpu, arg, 1)[0];
                if (!isOpen(h)) {
                    errno = EBADF;
                    return -1;
                }
                return 1;
            }
            case SYS_ERRNO -> {
                return errno;
            }
            case SYS_CLOCK -> {
                return (System.nanoTime() - startNanos) / 10_000_000L;
            }
            case SYS_TIME -> {
                return System.currentTimeMillis() / 1000;
            }
            case SYS_ELAPSED -> {
                long ticks = System.nanoTime() - startNanos;
                ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(ticks);
                cpu.writeVirtual(arg, b.array());
                return 0;
            }
            case SYS_TICKFREQ -> {
                return 1_000_000_000L;
            }
            case SYS_HEAPINFO -> {
                // Four zero fields: "no heap information", which newlib and picolibc accept.
                long block = params(cpu, arg, 1)[0];
                cpu.writeVirtual(block, new byte[32]);
                return 0;
            }
            case SYS_GET_CMDLINE -> {
                long[] p = params(cpu, arg, 2);
                byte[] cmd = commandLine.getBytes(StandardCharsets.UTF_8);
                if (p[1] < cmd.length + 1) {
                    errno = EINVAL;
                    return -1;
                }
                byte[] withNul = new byte[cmd.length + 1];
                System.arraycopy(cmd, 0, withNul, 0, cmd.length);
                cpu.writeVirtual(p[0], withNul);
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(cmd.length);
                cpu.writeVirtual(arg + 8, len.array());
                return 0;
            }
            case SYS_EXIT, SYS_EXIT_EXTENDED -> {
                long[] p = params(cpu, arg, 2);
                int status = p[0] == APPLICATION_EXIT ? (int) p[1] : 1;
                control.requestExit(new MachineExit(MachineExit.Reason.SEMIHOSTING_EXIT, status,
                        "semihosting exit, reason 0x" + Long.toHexString(p[0]) + " status " + status));
                return 0;
            }
            default -> {
                errors.report(DEVICE, SemihostingError.UNSUPPORTED_OPERATION, "0x" + Integer.toHexString(op));
                errno = EINVAL;
                return -1;
            }
        }
    }

    private boolean isOpen(long handle) {
        return handle > 0 && handle < MAX_HANDLES && open.get((int) handle);
    }

    private static long[] params(Cpu cpu, long block, int n) {
        ByteBuffer b = ByteBuffer.wrap(cpu.readVirtual(block, 8 * n)).order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = b.getLong();
        }
        return out;
    }
}
