package dev.aarvark.devices.io.net;

import dev.aarvark.devices.io.HostIo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * {@code tap:IFNAME}: a Linux TAP device (Documentation/networking/tuntap.rst), existing or made
 * on open, as QEMU's {@code -netdev tap,ifname=IFNAME,script=no}. It is opened with
 * {@code IFF_TAP | IFF_NO_PI | IFF_VNET_HDR} and a 12-byte header ({@code TUNSETVNETHDRSZ}: the
 * virtio 1.x {@code struct virtio_net_hdr_v1}, §5.1.6), so every frame both ways carries the
 * virtio-net header ({@link #carriesVnetHeader()} is true) and the card offers the checksum and
 * segmentation offloads: a guest's partial checksums and TSO/UFO frames go to the kernel as they
 * are. {@code TUNSETOFFLOAD} is 0 on open (the kernel completes checksums and segments before it
 * hands frames over) and follows the receive offloads of the guest's driver from then on
 * ({@link #setReceiveOffloads}), as QEMU sets it.
 *
 * <p>Threading: NIO cannot select a character device, so this backend has one small thread of
 * its own, "aarvark-tap-IFNAME", that waits in {@code poll(2)} on the TAP and an eventfd (woken to
 * change what it waits for, or to stop) and reads frames; they reach the vCPU thread through
 * {@link HostIo#vcpu()}. This is the one host I/O thread besides the machine's event loop.
 * Writes are non-blocking {@code write(2)} calls on the vCPU thread.
 *
 * <p>What it keeps true:
 * <ul>
 *   <li>Guest to host: {@link #send} writes the frame at once or answers {@link SendResult#FULL}
 *   (the TAP's queue is full: {@code EAGAIN}); {@link Listener#writable()} follows when
 *   {@code poll} says the TAP takes frames again. A frame the kernel refuses ({@code EIO}: the
 *   host interface is down; {@code EINVAL}: a header it does not accept) is dropped and counted
 *   ({@link FrameCounters#txNoPeer()}, {@link FrameCounters#txFailed()}).</li>
 *   <li>Host to guest: frames go to the vCPU thread through an {@link RxHandoff}, as for the
 *   socket backends (frames read together are delivered together); frames read and not yet
 *   delivered are bounded ({@value RxHandoff#HIGH_FRAMES} frames or
 *   {@value RxHandoff#HIGH_BYTES} bytes); past that, and while the device asked
 *   ({@link #setReceiving setReceiving(false)}), the thread does not read, and the kernel drops
 *   what its TAP queue cannot hold, as for any slow reader.</li>
 *   <li>The link is up from {@link #start} to {@link #close} (QEMU's TAP link does not follow the
 *   host interface either). No callback after {@link #close}.</li>
 * </ul>
 */
public final class TapFrameBackend implements FrameBackend {
    private static final Logger LOG = LoggerFactory.getLogger(TapFrameBackend.class);
    /** The device a TAP is opened through. */
    static final String CLONE_DEVICE = "/dev/net/tun";
    /** The virtio-net header on every frame: {@code struct virtio_net_hdr_v1}. */
    static final int VNET_HEADER = 12;
    private static final int BUFFER = VNET_HEADER + MAX_FRAME;
    /** Frames read per wake-up before the thread looks at its controls again. */
    private static final int READ_BATCH = 64;

    private final HostIo io;
    private final String ifname;
    private final String description;
    private final int fd;
    private final int wakeFd;
    private final Tally tally = new Tally();
    private final Arena arena = Arena.ofShared();
    /** vCPU thread only. */
    private final MemorySegment txBuffer = arena.allocate(BUFFER);
    private final RxHandoff rx;
    private volatile boolean receiving = true;
    private volatile boolean wantWrite;
    private volatile boolean closed;
    private Thread reader;

    // vCPU thread only.
    private Listener listener;
    private boolean writeBlocked;
    /** The TUNSETOFFLOAD bits in force (0 from open). */
    private int offloads;

    private TapFrameBackend(HostIo io, String ifname, int fd, int wakeFd) {
        this.io = io;
        this.ifname = ifname;
        this.description = "tap:" + ifname;
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.rx = new RxHandoff(io.vcpu(), tally, VNET_HEADER, this::wake);
    }

    /**
     * Opens (and, if there is none, makes) the TAP {@code ifname} through {@link #CLONE_DEVICE}.
     *
     * @throws NetBackendException (one line: {@code tap:IFNAME} and why) without CAP_NET_ADMIN,
     *                             without /dev/net/tun, for a name that is not a TAP, or on a host
     *                             that has no TAPs
     */
    public static TapFrameBackend open(HostIo io, String ifname) {
        return open(io, ifname, CLONE_DEVICE);
    }

    static TapFrameBackend open(HostIo io, String ifname, String cloneDevice) {
        Objects.requireNonNull(io, "io");
        String description = "tap:" + ifname;
        byte[] name = ifname.getBytes(StandardCharsets.UTF_8);
        if (name.length == 0 || name.length >= LinuxTun.IFNAMSIZ || ifname.contains("/") || ifname.contains(" ")) {
            throw new NetBackendException(description, "an interface name is 1 to 15 bytes without '/' or spaces", null);
        }
        String unsupported = LinuxTun.unsupportedHost();
        if (unsupported != null) {
            throw new NetBackendException(description, unsupported, null);
        }
        int fd = LinuxTun.open(cloneDevice, LinuxTun.O_RDWR | LinuxTun.O_NONBLOCK | LinuxTun.O_CLOEXEC);
        if (fd < 0) {
            throw new NetBackendException(description, "cannot open " + cloneDevice + " (" + LinuxTun.strerror(-fd) + ")"
                    + switch (-fd) {
                        case LinuxTun.EPERM, LinuxTun.EACCES -> ": a TAP needs CAP_NET_ADMIN (run as root, or give the JVM the capability)";
                        case LinuxTun.ENOENT, LinuxTun.ENODEV, LinuxTun.ENXIO -> ": the kernel has no TUN/TAP driver here";
                        default -> "";
                    }, null);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ifr = a.allocate(LinuxTun.IFREQ_BYTES);
            MemorySegment.copy(name, 0, ifr, ValueLayout.JAVA_BYTE, 0, name.length);
            ifr.set(ValueLayout.JAVA_SHORT, LinuxTun.IFREQ_FLAGS,
                    (short) (LinuxTun.IFF_TAP | LinuxTun.IFF_NO_PI | LinuxTun.IFF_VNET_HDR));
            int r = LinuxTun.ioctl(fd, LinuxTun.TUNSETIFF, ifr);
            if (r < 0) {
                LinuxTun.close(fd);
                throw new NetBackendException(description, "cannot attach to TAP " + ifname + " (" + LinuxTun.strerror(-r) + ")"
                        + switch (-r) {
                            case LinuxTun.EPERM, LinuxTun.EACCES -> ": a TAP needs CAP_NET_ADMIN (run as root, or give the JVM the capability)";
                            case LinuxTun.EBUSY -> ": another process has it open";
                            case LinuxTun.EINVAL -> ": " + ifname + " exists and is not a TAP";
                            default -> "";
                        }, null);
            }
            MemorySegment size = a.allocate(ValueLayout.JAVA_INT);
            size.set(ValueLayout.JAVA_INT, 0, VNET_HEADER);
            r = LinuxTun.ioctl(fd, LinuxTun.TUNSETVNETHDRSZ, size);
            if (r >= 0) {
                r = LinuxTun.ioctl(fd, LinuxTun.TUNSETOFFLOAD, 0L);
            }
            if (r < 0) {
                LinuxTun.close(fd);
                throw new NetBackendException(description, "the kernel refused the 12-byte virtio-net header on " + ifname
                        + " (" + LinuxTun.strerror(-r) + ")", null);
            }
        }
        int wake = LinuxTun.eventfd(LinuxTun.EFD_NONBLOCK | LinuxTun.EFD_CLOEXEC);
        if (wake < 0) {
            LinuxTun.close(fd);
            throw new NetBackendException(description, "cannot make an eventfd (" + LinuxTun.strerror(-wake) + ")", null);
        }
        return new TapFrameBackend(io, ifname, fd, wake);
    }

    @Override
    public void start(Listener l) {
        if (listener != null) {
            throw new IllegalStateException(description + ": started twice");
        }
        listener = Objects.requireNonNull(l, "listener");
        rx.start(l);
        reader = Thread.ofPlatform().daemon().name("aarvark-tap-" + ifname).start(this::readLoop);
    }

    @Override
    public SendResult send(byte[] frame, int off, int len) {
        Objects.checkFromIndexSize(off, len, frame.length);
        if (len > BUFFER) {
            throw new IllegalArgumentException(description + ": a frame of " + len + " bytes is longer than " + BUFFER);
        }
        if (closed) {
            tally.txNoPeer.incrementAndGet();
            return SendResult.DROPPED_NO_PEER;
        }
        MemorySegment.copy(frame, off, txBuffer, ValueLayout.JAVA_BYTE, 0, len);
        long r = LinuxTun.write(fd, txBuffer, len);
        if (r == -LinuxTun.EAGAIN) {
            writeBlocked = true;
            wantWrite = true;
            wake();
            tally.txFull.incrementAndGet();
            return SendResult.FULL;
        }
        if (r == -LinuxTun.EIO) {
            tally.txNoPeer.incrementAndGet();   // the host side of the TAP is down
            return SendResult.DROPPED_NO_PEER;
        }
        if (r < 0) {
            tally.txFailed.incrementAndGet();
            LOG.debug("{}: write of a {}-byte frame failed: {}", description, len, LinuxTun.strerror((int) -r));
            return SendResult.SENT;     // taken and lost, as a socket that fails after a write
        }
        tally.txFrames.incrementAndGet();
        tally.txBytes.addAndGet(len - VNET_HEADER);
        return SendResult.SENT;
    }

    @Override
    public void setReceiving(boolean on) {
        receiving = on;
        if (on) {
            rx.resume();
        }
        wake();
    }

    /**
     * {@code TUNSETOFFLOAD} from what the guest's driver takes, as QEMU's {@code tap_fd_set_offload}
     * maps it: CSUM, then TSO4, TSO6, TSO_ECN (with either TSO) and UFO only with CSUM; a kernel
     * that refuses UFO gets the rest. The kernel then hands over partial checksums and TCP/UDP
     * frames up to 64 KiB not yet segmented, which the guest's driver asked to see.
     */
    @Override
    public void setReceiveOffloads(ReceiveOffloads o) {
        int bits = 0;
        if (o.csum()) {
            bits |= LinuxTun.TUN_F_CSUM;
            if (o.tso4()) {
                bits |= LinuxTun.TUN_F_TSO4;
            }
            if (o.tso6()) {
                bits |= LinuxTun.TUN_F_TSO6;
            }
            if ((o.tso4() || o.tso6()) && o.ecn()) {
                bits |= LinuxTun.TUN_F_TSO_ECN;
            }
            if (o.ufo()) {
                bits |= LinuxTun.TUN_F_UFO;
            }
        }
        if (closed || bits == offloads) {
            return;
        }
        int r = LinuxTun.ioctl(fd, LinuxTun.TUNSETOFFLOAD, bits);
        if (r < 0 && (bits & LinuxTun.TUN_F_UFO) != 0) {
            bits &= ~LinuxTun.TUN_F_UFO;
            r = LinuxTun.ioctl(fd, LinuxTun.TUNSETOFFLOAD, bits);
        }
        if (r < 0) {
            LOG.warn("{}: the kernel refused receive offloads 0x{} ({}); frames stay whole with complete checksums",
                    description, Integer.toHexString(bits), LinuxTun.strerror(-r));
            return;
        }
        offloads = bits;
        LOG.debug("{}: TUNSETOFFLOAD 0x{}", description, Integer.toHexString(bits));
    }

    @Override
    public boolean linkUp() {
        return !closed && listener != null;
    }

    @Override
    public boolean carriesVnetHeader() {
        return true;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public FrameCounters counters() {
        return tally.snapshot();
    }

    /** Stops the thread and closes the TAP (a TAP made on open goes away with it, a persistent one stays). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        rx.close();
        wake();
        if (reader != null) {
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LinuxTun.close(fd);
        LinuxTun.close(wakeFd);
        if (reader == null || !reader.isAlive()) {
            arena.close();
        }
    }

    private void wake() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment one = a.allocate(ValueLayout.JAVA_LONG);
            one.set(ValueLayout.JAVA_LONG, 0, 1L);
            LinuxTun.write(wakeFd, one, 8);
        }
    }

    // ---- the reader thread ----

    private void readLoop() {
        MemorySegment fds = arena.allocate(2L * LinuxTun.POLLFD_BYTES);
        MemorySegment frameBuffer = arena.allocate(BUFFER);
        MemorySegment drain = arena.allocate(8);
        while (!closed) {
            boolean read = receiving && !rx.throttled();
            short events = (short) ((read ? LinuxTun.POLLIN : 0) | (wantWrite ? LinuxTun.POLLOUT : 0));
            fds.set(ValueLayout.JAVA_INT, 0, fd);
            fds.set(ValueLayout.JAVA_SHORT, 4, events);
            fds.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
            fds.set(ValueLayout.JAVA_INT, 8, wakeFd);
            fds.set(ValueLayout.JAVA_SHORT, 12, LinuxTun.POLLIN);
            fds.set(ValueLayout.JAVA_SHORT, 14, (short) 0);
            int n = LinuxTun.poll(fds, 2, 1000);
            if (closed) {
                return;
            }
            if (n < 0) {
                if (n != -LinuxTun.EINTR) {
                    LOG.warn("{}: poll failed ({}); no more frames from the host", description, LinuxTun.strerror(-n));
                    return;
                }
                continue;
            }
            if ((fds.get(ValueLayout.JAVA_SHORT, 14) & LinuxTun.POLLIN) != 0) {
                LinuxTun.read(wakeFd, drain, 8);
            }
            short revents = fds.get(ValueLayout.JAVA_SHORT, 6);
            if ((revents & (LinuxTun.POLLERR | LinuxTun.POLLHUP | LinuxTun.POLLNVAL)) != 0) {
                LOG.warn("{}: the TAP reports an error (poll revents 0x{}); no more frames from the host",
                        description, Integer.toHexString(revents & 0xFFFF));
                return;
            }
            if ((revents & LinuxTun.POLLOUT) != 0 && wantWrite) {
                wantWrite = false;
                io.vcpu().execute(this::tellWritable);
            }
            if ((revents & LinuxTun.POLLIN) != 0) {
                readBatch(frameBuffer);
            }
        }
    }

    private void readBatch(MemorySegment buffer) {
        for (int i = 0; i < READ_BATCH && receiving && !rx.throttled() && !closed; i++) {
            long r = LinuxTun.read(fd, buffer, BUFFER);
            if (r == -LinuxTun.EAGAIN || r == -LinuxTun.EINTR) {
                return;
            }
            if (r < 0) {
                LOG.warn("{}: read failed ({})", description, LinuxTun.strerror((int) -r));
                return;
            }
            if (r <= VNET_HEADER) {
                tally.rxEmpty.incrementAndGet();
                continue;
            }
            rx.offer(buffer.asSlice(0, r).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    // ---- the vCPU thread ----

    private void tellWritable() {
        if (!closed && writeBlocked) {
            writeBlocked = false;
            listener.writable();
        }
    }
}
