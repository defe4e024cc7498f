package dev.aarvark.devices.io;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The machine's one event loop for host I/O (Netty, a single daemon thread): every socket
 * backend runs on it. Results for devices are handed to the vCPU thread through {@link #vcpu()}
 * (the run loop's task queue), never applied from the I/O thread, so devices keep no locks.
 */
public final class HostIo implements AutoCloseable {
    static {
        // Netty's use of sun.misc.Unsafe makes JDK 24+ print four "terminally deprecated method"
        // warnings on the user's terminal; its portable code paths are used instead.
        if (System.getProperty("io.netty.noUnsafe") == null) {
            System.setProperty("io.netty.noUnsafe", "true");
        }
    }

    private final EventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("aarvark-host-io", true));
    private final Executor vcpu;

    /** @param vcpu runs a task on the vCPU thread between slices (the run loop's {@code post}) */
    public HostIo(Executor vcpu) {
        this.vcpu = vcpu;
    }

    public EventLoopGroup group() {
        return group;
    }

    /** Runs tasks on the vCPU thread. */
    public Executor vcpu() {
        return vcpu;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
