package dev.aarvark.devices.io.net;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The C library calls a TAP needs (open, ioctl, read, write, poll, close, eventfd, strerror),
 * made through the JDK's FFM API ({@code java.lang.foreign}) with {@code errno} captured per call
 * ({@link Linker.Option#captureCallState}), plus the constants of Linux's {@code <linux/if_tun.h>},
 * {@code <fcntl.h>}, {@code <poll.h>} and {@code <sys/eventfd.h>} that {@link TapFrameBackend} uses
 * (Linux Documentation/networking/tuntap.rst).
 *
 * <p>What it keeps true: every call returns its result, or {@code -errno} when the C function
 * returned -1, so no caller reads a stale {@code errno}; the capture buffer is per thread, so the
 * reader thread and the vCPU thread may call at the same time. The constants are the "generic"
 * Linux ones (x86-64, AArch64, RISC-V: the {@code _IOC} encoding with 2 direction bits and 14 size
 * bits, {@code O_NONBLOCK} 04000); {@link #unsupportedHost()} says when this host is another.
 * The downcall handles are made on first use ({@link Native}), so merely loading this class works
 * on any host.
 */
final class LinuxTun {
    /** {@code IFNAMSIZ}: an interface name is at most 15 bytes plus its NUL. */
    static final int IFNAMSIZ = 16;
    /** {@code sizeof(struct ifreq)} on a 64-bit host. */
    static final int IFREQ_BYTES = 40;
    /** {@code ifr_flags}: after the name, in the union. */
    static final int IFREQ_FLAGS = 16;

    // <linux/if_tun.h>: TUNSETIFF flags, as TUNGETFEATURES also reports them.
    static final int IFF_TAP = 0x0002;
    static final int IFF_NO_PI = 0x1000;
    static final int IFF_VNET_HDR = 0x4000;
    // TUNSETOFFLOAD bits: what the reader of the TAP can take in the frames it reads.
    static final int TUN_F_CSUM = 0x01;
    static final int TUN_F_TSO4 = 0x02;
    static final int TUN_F_TSO6 = 0x04;
    static final int TUN_F_TSO_ECN = 0x08;
    static final int TUN_F_UFO = 0x10;

    static final long TUNSETIFF = iow('T', 202, 4);
    static final long TUNGETFEATURES = ior('T', 207, 4);
    static final long TUNSETOFFLOAD = iow('T', 208, 4);
    static final long TUNSETVNETHDRSZ = iow('T', 216, 4);

    // <fcntl.h>, <sys/eventfd.h>
    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = O_NONBLOCK;
    static final int EFD_CLOEXEC = O_CLOEXEC;

    // <poll.h>; struct pollfd is { int fd; short events; short revents; }.
    static final short POLLIN = 0x001;
    static final short POLLOUT = 0x004;
    static final short POLLERR = 0x008;
    static final short POLLHUP = 0x010;
    static final short POLLNVAL = 0x020;
    static final int POLLFD_BYTES = 8;

    // <errno.h>
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int ENXIO = 6;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int ENOTTY = 25;
    static final int EBADFD = 77;

    private LinuxTun() {
    }

    /** {@code _IOW(type, nr, size)} in the generic encoding. */
    private static long iow(char type, int nr, int size) {
        return (1L << 30) | ((long) size << 16) | ((long) type << 8) | nr;
    }

    /** {@code _IOR(type, nr, size)} in the generic encoding. */
    private static long ior(char type, int nr, int size) {
        return (2L << 30) | ((long) size << 16) | ((long) type << 8) | nr;
    }

    /**
     * Why these calls cannot be made on this host (not Linux, a CPU whose ioctl encoding or flag
     * values differ, a 32-bit or big-endian JVM), or null when they can.
     */
    static String unsupportedHost() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.equals("Linux")) {
            return "TAP devices need Linux (this is " + os + ")";
        }
        boolean generic = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64") || arch.equals("riscv64");
        if (!generic || ADDRESS.byteSize() != 8 || ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            return "TAP devices are supported on Linux x86-64, AArch64 and RISC-V hosts (this is " + arch + ")";
        }
        return null;
    }

    /** The C library's text for {@code errno}, with a lower-case first letter: "operation not permitted". */
    static String strerror(int errno) {
        String s;
        try {
            MemorySegment p = (MemorySegment) Native.STRERROR.invokeExact(errno);
            s = p.equals(MemorySegment.NULL) ? null : p.reinterpret(256).getString(0);
        } catch (Throwable t) {
            s = null;
        }
        if (s == null || s.isBlank()) {
            return "errno " + errno;
        }
        if (s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))) {
            s = Character.toLowerCase(s.charAt(0)) + s.substring(1);
        }
        return s;
    }

    /** {@code open(path, flags)}: the descriptor or {@code -errno}. */
    static int open(String path, int flags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocateFrom(path);
            MemorySegment state = Native.state();
            int r = (int) Native.OPEN.invokeExact(state, p, flags);
            return r < 0 ? -Native.errno(state) : r;
        } catch (Throwable t) {
            throw new IllegalStateException("open failed", t);
        }
    }

    /** {@code ioctl(fd, request, pointer)}: the result or {@code -errno}. */
    static int ioctl(int fd, long request, MemorySegment arg) {
        try {
            MemorySegment state = Native.state();
            int r = (int) Native.IOCTL_PTR.invokeExact(state, fd, request, arg);
            return r < 0 ? -Native.errno(state) : r;
        } catch (Throwable t) {
            throw new IllegalStateException("ioctl failed", t);
        }
    }

    /** {@code ioctl(fd, request, value)} for the requests whose argument is a number (TUNSETOFFLOAD). */
    static int ioctl(int fd, long request, long value) {
        try {
            MemorySegment state = Native.state();
            int r = (int) Native.IOCTL_LONG.invokeExact(state, fd, request, value);
            return r < 0 ? -Native.errno(state) : r;
        } catch (Throwable t) {
            throw new IllegalStateException("ioctl failed", t);
        }
    }

    /** {@code read(fd, buf, len)}: bytes read or {@code -errno}. */
    static long read(int fd, MemorySegment buf, long len) {
        try {
            MemorySegment state = Native.state();
            long r = (long) Native.READ.invokeExact(state, fd, buf, len);
            return r < 0 ? -Native.errno(state) : r;
        } catch (Throwable t) {
            throw new IllegalStateException("read failed", t);
        }
    }

    /** {@code write(fd, buf, len)}: bytes written or {@code -errno}. */
    static long write(int fd, MemorySegment buf, long len) {
        try {
            MemorySegment state = Native.state();
            long r = (long) Native.WRITE.invokeExact(state, fd, buf, len);
            return r < 0 ? -Native.errno(state) : r;
        } catch (Throwable t) {
            throw new IllegalStateException("write failed", t);
        }
    }

    /** {@code poll(fds, nfds, timeoutMillis)}: descriptors ready or {@code -errno}. */
    static int poll(MemorySegment fds, int nfds, int timeoutMillis) {
        try {
            MemorySegment state = Native.state();
            int r = (int) Native.POLL.invokeExact(state, fds, (long) nfds, timeoutMillis);
            return r < 0 ? -Native.errno(state) : r;
        } catch (Throwable t) {
            throw new IllegalStateException("poll failed", t);
        }
    }

    /** {@code eventfd(0, flags)}: the descriptor or {@code -errno}. */
    static int eventfd(int flags) {
        try {
            MemorySegment state = Native.state();
            int r = (int) Native.EVENTFD.invokeExact(state, 0, flags);
            return r < 0 ? -Native.errno(state) : r;
        } catch (Throwable t) {
            throw new IllegalStateException("eventfd failed", t);
        }
    }

    /** {@code close(fd)}: 0 or {@code -errno} (the descriptor is released either way on Linux). */
    static int close(int fd) {
        try {
            MemorySegment state = Native.state();
            int r = (int) Native.CLOSE.invokeExact(state, fd);
            return r < 0 ? -Native.errno(state) : r;
        } catch (Throwable t) {
            throw new IllegalStateException("close failed", t);
        }
    }

    /** The downcall handles, made when first needed. */
    private static final class Native {
        private static final StructLayout STATE = Linker.Option.captureStateLayout();
        private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        private static final ThreadLocal<MemorySegment> STATES = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(STATE));
        static final MethodHandle OPEN;
        static final MethodHandle IOCTL_PTR;
        static final MethodHandle IOCTL_LONG;
        static final MethodHandle READ;
        static final MethodHandle WRITE;
        static final MethodHandle POLL;
        static final MethodHandle EVENTFD;
        static final MethodHandle CLOSE;
        static final MethodHandle STRERROR;

        static {
            Linker linker = Linker.nativeLinker();
            Linker.Option errno = Linker.Option.captureCallState("errno");
            // open and ioctl are variadic in C: the arguments after the fixed ones are passed as such.
            OPEN = handle(linker, "open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), errno, Linker.Option.firstVariadicArg(2));
            IOCTL_PTR = handle(linker, "ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), errno,
                    Linker.Option.firstVariadicArg(2));
            IOCTL_LONG = handle(linker, "ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), errno,
                    Linker.Option.firstVariadicArg(2));
            READ = handle(linker, "read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), errno);
            WRITE = handle(linker, "write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), errno);
            POLL = handle(linker, "poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), errno);
            EVENTFD = handle(linker, "eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), errno);
            CLOSE = handle(linker, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
            STRERROR = handle(linker, "strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        }

        private static MethodHandle handle(Linker linker, String name, FunctionDescriptor d, Linker.Option... options) {
            return linker.downcallHandle(linker.defaultLookup().find(name)
                    .orElseThrow(() -> new IllegalStateException("the C library has no " + name)), d, options);
        }

        static MemorySegment state() {
            return STATES.get();
        }

        static int errno(MemorySegment state) {
            return (int) ERRNO.get(state, 0L);
        }
    }
}
