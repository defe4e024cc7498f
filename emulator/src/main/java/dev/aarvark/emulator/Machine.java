package dev.aarvark.emulator;

import dev.aarvark.devices.gic.GicConfig;
import dev.aarvark.devices.gic.GicCore;
import dev.aarvark.devices.gic.GicV2CpuInterface;
import dev.aarvark.devices.gic.GicV2Distributor;
import dev.aarvark.devices.gic.GicV3CpuInterface;
import dev.aarvark.devices.gic.GicV3Distributor;
import dev.aarvark.devices.gic.GicV3Redistributor;
import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.MmioDevice;
import dev.aarvark.devices.rtc.Pl031;
import dev.aarvark.devices.rtc.WallClock;
import dev.aarvark.devices.timer.GenericTimer;
import dev.aarvark.devices.uart.Pl011;
import dev.aarvark.devices.virtio.mmio.EmptyVirtioMmioSlot;
import dev.aarvark.devices.io.FileHostStream;
import dev.aarvark.devices.io.HostIo;
import dev.aarvark.devices.io.HostStream;
import dev.aarvark.devices.io.NullHostStream;
import dev.aarvark.devices.io.SocketHostStream;
import dev.aarvark.devices.virtio.console.ConsoleLimits;
import dev.aarvark.devices.virtio.console.ConsolePortSpec;
import dev.aarvark.devices.virtio.console.VirtioConsole;
import dev.aarvark.devices.virtio.mmio.VirtioMmioTransport;
import dev.aarvark.devices.virtio.mmio.VirtioMmioVersion;
import dev.aarvark.emulator.console.StdioHostStream;
import dev.aarvark.iommu.BypassDmaSpace;
import dev.aarvark.emulator.board.MappedDevice;
import dev.aarvark.emulator.board.SubPageDevices;
import dev.aarvark.emulator.board.UnassignedRegion;
import dev.aarvark.emulator.board.VirtMemoryMap;
import dev.aarvark.emulator.boot.BootPlan;
import dev.aarvark.emulator.boot.BootRequest;
import dev.aarvark.emulator.boot.DtbFactory;
import dev.aarvark.emulator.boot.GicVersion;
import dev.aarvark.emulator.boot.KernelLoader;
import dev.aarvark.emulator.boot.UserDeviceTree;
import dev.aarvark.emulator.boot.VirtDeviceTree;
import dev.aarvark.emulator.boot.VirtDeviceTreeConfig;
import dev.aarvark.emulator.console.ConsoleInput;
import dev.aarvark.emulator.cpu.Cpu;
import dev.aarvark.emulator.cpu.Esr;
import dev.aarvark.emulator.cpu.ExceptionEntry;
import dev.aarvark.emulator.cpu.InstructionCacheMaintenance;
import dev.aarvark.emulator.cpu.Pstate;
import dev.aarvark.emulator.cpu.ResetState;
import dev.aarvark.emulator.cpu.SyncExceptionHandler;
import dev.aarvark.emulator.cpu.SysReg;
import dev.aarvark.emulator.cpu.UndefinedInstructionHandler;
import dev.aarvark.emulator.cpu.VirtualInterruptLines;
import dev.aarvark.emulator.cpu.psci.Psci;
import dev.aarvark.emulator.cpu.semihosting.Semihosting;
import dev.aarvark.emulator.cpu.sysreg.GicV3Registers;
import dev.aarvark.emulator.cpu.sysreg.IdRegisters;
import dev.aarvark.emulator.cpu.sysreg.SysregHook;
import dev.aarvark.emulator.cpu.sysreg.SystemRegisterTable;
import dev.aarvark.emulator.cpu.sysreg.TimerRegisters;
import dev.aarvark.emulator.cpu.unicorn.Unicorn;
import dev.aarvark.emulator.cpu.unicorn.SysInsnFilter;
import dev.aarvark.emulator.run.MachineExit;
import dev.aarvark.emulator.run.Preemption;
import dev.aarvark.emulator.run.PreemptionStrategy;
import dev.aarvark.emulator.run.RunLoop;
import dev.aarvark.memory.AddressSpace;
import dev.aarvark.memory.GuestRam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One QEMU {@code virt} board: RAM, the devices at QEMU's addresses, the CPU in its boot state with
 * the kernel loaded, and the run loop that drives it. Built by {@link #create}, run once by
 * {@link #run}, then closed.
 *
 * <p>Threading: the thread that calls {@link #create} and {@link #run} is the vCPU thread; it owns
 * the Unicorn engine and every device. Other threads use only {@link #runLoop()}'s {@code post} and
 * {@code requestExit} and {@link #consoleInput()}.
 *
 * <p>Every guest-reachable physical address below 2^PARange is mapped: RAM, a device, or an
 * {@link UnassignedRegion} that turns a stray access into a guest error and an SError.
 */
public final class Machine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Machine.class);

    private final MachineConfig config;
    private final Arena arena = Arena.ofShared();
    private final Unicorn uc;
    private final GuestRam ram;
    private final AddressSpace space = new AddressSpace();
    /** This machine's guest errors; every device and CPU part that reports one reports here. */
    private final GuestErrorLog guestErrors = new GuestErrorLog();
    private final Cpu cpu;
    private final Pl011 uart;
    private final Pl031 rtc;
    private final GenericTimer timer;
    private final GicCore gic;
    private final VirtioConsole virtioConsole;
    private final List<VirtioMmioTransport> transports = new java.util.ArrayList<>();
    private final List<HostStream> hostStreams = new java.util.ArrayList<>();
    private HostIo hostIo;
    /** First SPI's INTID; the DT's SPI n is INTID 32 + n. */
    private static final int SPI_BASE = 32;
    /** EL1 physical timer PPI (DT PPI 14). */
    private static final int PPI_PHYS_TIMER = 30;
    /** EL1 virtual timer PPI (DT PPI 11). */
    private static final int PPI_VIRT_TIMER = 27;
    private final RunLoop loop;
    private final ConsoleInput consoleInput;
    private final SyncExceptionHandler exceptions;
    private final ExceptionEntry entry;
    private final BootPlan bootPlan;
    private final SysregHook sysregHook;
    private final VirtualInterruptLines interruptLines;
    private final InstructionCacheMaintenance icache;
    private final List<MappedDevice> mappedDevices = new ArrayList<>();
    private boolean serrorPending;
    private long serrorAddress;

    private Machine(MachineConfig config, CompletableFuture<PreemptionStrategy> chosenStrategy) {
        this.config = config;
        long ramBytes = config.ramBytes();
        if (ramBytes < (16L << 20) || ramBytes % GuestRam.PAGE != 0 || ramBytes > VirtMemoryMap.RAM_LIMIT - VirtMemoryMap.RAM) {
            throw new MachineConfigException(MachineConfigException.Field.MEMORY, ramBytes + " bytes",
                    "must be a multiple of 4 KiB between 16 MiB and " + ((VirtMemoryMap.RAM_LIMIT - VirtMemoryMap.RAM) >> 30)
                    + " GiB (the virt board's RAM window)");
        }
        try {
            this.ram = GuestRam.allocate(arena, VirtMemoryMap.RAM, ramBytes);
            space.addRam(ram);
            this.bootPlan = KernelLoader.load(ram, new BootRequest(config.kernel(), Optional.ofNullable(config.initrd()),
                    deviceTree(config)));
            for (String w : bootPlan.warnings()) {
                LOG.warn("{}", w);
            }
            // The preemption self-test ran on another thread while the kernel loaded. This machine's
            // engine is opened only after it: libunicorn calls on one engine while another one runs
            // on another thread can corrupt the running one (docs/libunicorn.md, "Two engines in one process").
            PreemptionStrategy strategy = join(chosenStrategy);
            this.uc = Unicorn.open(config.cpu().unicornModel());
            uc.memMapPtr(ram.base(), ram.segment(), Unicorn.PROT_ALL);
            this.cpu = new Cpu(uc, config.cpu(), space);
            this.entry = new ExceptionEntry(cpu);

            this.interruptLines = new VirtualInterruptLines(cpu, strategy::requestControl);
            boolean v3 = config.gic() == GicVersion.V3;
            this.gic = new GicCore(v3 ? GicConfig.qemuVirtV3(1) : GicConfig.qemuVirtV2(1), List.of(interruptLines), guestErrors);
            if (v3) {
                mapDevice(VirtMemoryMap.GIC_DIST, new GicV3Distributor("gicv3-dist", gic));
                mapDevice(VirtMemoryMap.GIC_REDIST, new GicV3Redistributor("gicv3-redist", gic, 0));
            } else {
                mapDevice(VirtMemoryMap.GIC_DIST, new GicV2Distributor("gicv2-dist", gic, () -> 0));
                mapDevice(VirtMemoryMap.GIC_CPU, new GicV2CpuInterface("gicv2-cpu", gic, () -> 0));
            }

            this.uart = new Pl011("pl011", gic.lineFor(SPI_BASE + VirtMemoryMap.UART_SPI), config.console(), guestErrors);
            this.rtc = new Pl031("pl031", gic.lineFor(SPI_BASE + VirtMemoryMap.RTC_SPI), WallClock.SYSTEM, guestErrors);
            this.timer = new GenericTimer(GenericTimer::hostCounter, gic.lineFor(PPI_PHYS_TIMER), gic.lineFor(PPI_VIRT_TIMER));
            mapDevice(VirtMemoryMap.UART, uart);
            mapDevice(VirtMemoryMap.RTC, rtc);
            Board board = new Board();
            this.loop = new RunLoop(cpu, strategy, board);
            // A guest that arms a timer mid-slice must still be woken when it is due.
            timer.setDeadlineListener(() -> strategy.setDeadline(board.nextDeadlineNanos()));
            rtc.setDeadlineListener(() -> strategy.setDeadline(board.nextDeadlineNanos()));
            ConsoleInput uartInput = new ConsoleInput(uart::receive, loop::post);
            uart.setRxSpaceListener(uartInput::drain);

            // virtio-mmio: QEMU fills the highest slot first; the other slots stay empty.
            MmioDevice[] slots = new MmioDevice[VirtMemoryMap.VIRTIO_MMIO_COUNT];
            for (int slot = 0; slot < slots.length; slot++) {
                slots[slot] = new EmptyVirtioMmioSlot("virtio-mmio@" + Long.toHexString(slotBase(slot)), guestErrors);
            }
            ConsoleInput stdioPort = null;
            if (config.virtioConsole() != null) {
                int slot = VirtMemoryMap.VIRTIO_MMIO_COUNT - 1;
                String name = "virtio-console@" + Long.toHexString(slotBase(slot));
                List<ConsolePortSpec> specs = new java.util.ArrayList<>();
                for (VirtioConsoleConfig.Port port : config.virtioConsole().ports()) {
                    HostStream stream = hostStream(port.backend());
                    if (stream instanceof StdioHostStream stdio) {
                        stdioPort = stdio.input();
                    }
                    specs.add(port.name() == null ? ConsolePortSpec.console(stream) : ConsolePortSpec.named(port.name(), stream));
                }
                this.virtioConsole = new VirtioConsole(name, specs, Math.max(VirtioConsole.DEFAULT_PORTS, specs.size()),
                        ConsoleLimits.DEFAULT, guestErrors);
                VirtioMmioTransport transport = new VirtioMmioTransport(name, virtioConsole, new BypassDmaSpace(space),
                        gic.lineFor(SPI_BASE + VirtMemoryMap.VIRTIO_MMIO_FIRST_SPI + slot),
                        config.virtioConsole().transportVersion() == 1 ? VirtioMmioVersion.LEGACY : VirtioMmioVersion.MODERN, guestErrors);
                slots[slot] = transport;
                transports.add(transport);
            } else {
                this.virtioConsole = null;
            }
            mapDevice(VirtMemoryMap.VIRTIO_MMIO, new SubPageDevices("virtio-mmio", slots));
            mapHoles();
            this.consoleInput = stdioPort != null ? stdioPort : uartInput;

            SystemRegisterTable sysregs = new SystemRegisterTable();
            TimerRegisters.register(sysregs, timer);
            IdRegisters.register(sysregs, cpu.read(IdRegisters.ID_AA64PFR0_EL1), v3 ? 1 : 0);
            if (v3) {
                GicV3Registers.register(sysregs, new GicV3CpuInterface("gicv3-cpuif", gic, 0));
            }
            Semihosting semihosting = config.semihosting() ? new Semihosting(config.console(), loop, config.append(), guestErrors) : null;
            this.exceptions = new SyncExceptionHandler(cpu, entry, new Psci(loop),
                    new UndefinedInstructionHandler(cpu, sysregs, semihosting, loop), loop);
            uc.addInterruptHook(exceptions);
            // Every physical address below 2^PARange is mapped, so this fires only for an address
            // above it that the MMU did not already fault; it names the address in the error.
            uc.addUnmappedHook((type, address, size, value) -> {
                loop.requestExit(MachineExit.of(MachineExit.Reason.EMULATOR_ERROR, String.format(
                        "%d-byte %s of unmapped physical address 0x%x", size,
                        type == Unicorn.MEM_FETCH_UNMAPPED ? "fetch" : type == Unicorn.MEM_WRITE_UNMAPPED ? "write" : "read",
                        address)));
                return false;
            });
            // Native pre-filters keep the millions of other system-register accesses out of Java;
            // the MSR and SYS filters also count what may change a translation (the IC hook's epoch).
            SysInsnFilter msrFilter = null;
            if (sysregs.uses(SystemRegisterTable.Path.INSN_HOOK)) {
                SysregHook hook = new SysregHook(cpu, sysregs);
                uc.addSysInsnHook(Unicorn.INS_MRS, hook.filter(), hook::onMrs);
                msrFilter = hook.filter();
                for (SysReg r : InstructionCacheMaintenance.TRANSLATION_CONTROL) {
                    msrFilter.count(r.key());
                }
                uc.addSysInsnHook(Unicorn.INS_MSR, msrFilter, hook::onMsr);
                this.sysregHook = hook;
            } else {
                this.sysregHook = null;
            }

            // Rewritten code: libunicorn misses most stores into code pages, so the guest's own
            // instruction-cache maintenance drops the stale translations (docs/libunicorn.md).
            SysInsnFilter sysFilter = InstructionCacheMaintenance.sysFilter();
            SysInsnFilter msrCounts = msrFilter;
            this.icache = new InstructionCacheMaintenance(cpu, ram, msrCounts == null ? null
                    : () -> msrCounts.counted() + sysFilter.counted() + cpu.sysRegWrites());
            boolean filtered = uc.addSysInsnHook(Unicorn.INS_SYS, sysFilter, icache::onSys);
            LOG.debug("system-instruction hooks: {}", filtered ? "native pre-filter" : "filtered in Java");

            ResetState.apply(cpu, bootPlan.entryPc(), bootPlan.registers().x0(), bootPlan.registers().x1(),
                    bootPlan.registers().x2(), bootPlan.registers().x3());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Builds a machine from {@code config}: chooses and proves the preemption strategy, maps the
     * board, loads the kernel. Input problems (a bad file, a bad size) throw with a one-line message.
     */
    public static Machine create(MachineConfig config) {
        CompletableFuture<PreemptionStrategy> chosen = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("aarvark-preemption-self-test").start(() -> {
            try {
                chosen.complete(Preemption.choose(config.preempt(), config.cpu().unicornModel()));
            } catch (Throwable t) {
                chosen.completeExceptionally(t);
            }
        });
        try {
            return new Machine(config, chosen);
        } catch (RuntimeException e) {
            // The strategy may still be coming: close it whenever it arrives.
            chosen.thenAccept(PreemptionStrategy::close);
            throw e;
        }
    }

    private static PreemptionStrategy join(CompletableFuture<PreemptionStrategy> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("choosing the preemption strategy failed: " + e.getCause(), e.getCause());
        }
    }

    private DtbFactory deviceTree(MachineConfig config) {
        if (config.dtb() != null) {
            return UserDeviceTree.read(config.dtb()).factory(ram.base(), ram.size(), config.append());
        }
        SecureRandom random = new SecureRandom();
        byte[] rngSeed = new byte[32];
        random.nextBytes(rngSeed);
        VirtDeviceTreeConfig dt = new VirtDeviceTreeConfig(ram.base(), ram.size(), config.cpu().compatible(), 1,
                config.gic(), config.append(), Optional.empty(), VirtDeviceTreeConfig.PL011_PATH, rngSeed,
                random.nextLong(), true);
        return VirtDeviceTree.factory(dt);
    }

    private static long slotBase(int slot) {
        return VirtMemoryMap.VIRTIO_MMIO + slot * VirtMemoryMap.VIRTIO_MMIO_SIZE;
    }

    /** The host side of a console port; sockets share the machine's one host I/O event loop. */
    private HostStream hostStream(PortBackend backend) {
        HostStream s = switch (backend) {
            case PortBackend.Stdio x -> new StdioHostStream(config.console(), loop::post);
            case PortBackend.File f -> new FileHostStream(f.path());
            case PortBackend.Unix u -> SocketHostStream.unix(hostIo(), u.path());
            case PortBackend.Tcp t -> SocketHostStream.tcp(hostIo(), t.port());
            case PortBackend.None x -> new NullHostStream();
        };
        hostStreams.add(s);
        return s;
    }

    private HostIo hostIo() {
        if (hostIo == null) {
            hostIo = new HostIo(loop::post);
        }
        return hostIo;
    }

    /** Maps {@code device} at {@code base} through the board's one adapter, which counts its accesses. */
    private void mapDevice(long base, MmioDevice device) {
        space.addDevice(device.name(), base, device.size());
        MappedDevice mapped = new MappedDevice(device);
        mappedDevices.add(mapped);
        uc.mmioMap(base, device.size(), mapped);
    }

    /** MMIO reads and writes so far, by device name ({@code [reads, writes]}). */
    public java.util.Map<String, long[]> mmioCounts() {
        java.util.Map<String, long[]> counts = new java.util.TreeMap<>();
        for (MappedDevice m : mappedDevices) {
            counts.put(m.device().name(), new long[] {m.reads(), m.writes()});
        }
        return java.util.Collections.unmodifiableMap(counts);
    }

    private void mapHoles() {
        long limit = 1L << config.cpu().paBits();
        for (AddressSpace.Region hole : space.holes(limit)) {
            uc.mmioMap(hole.base(), hole.size(), new UnassignedRegion(hole.base(), this::externalAbort, guestErrors));
        }
    }

    /** A stray physical access: make an SError pending and get control to deliver it. */
    private void externalAbort(long pa) {
        if (!serrorPending) {
            serrorPending = true;
            serrorAddress = pa;
            loop.strategy().requestControl();
        }
    }

    /** Runs the guest on the calling thread until it ends or {@code timeout} (null = none) passes. */
    public MachineExit run(Duration timeout) {
        ScheduledExecutorService watchdog = null;
        if (timeout != null) {
            watchdog = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("aarvark-timeout").unstarted(r));
            watchdog.schedule(() -> loop.requestExit(MachineExit.of(MachineExit.Reason.TIMEOUT,
                    "no outcome within " + timeout.toMillis() + " ms")), timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        try {
            return loop.run();
        } finally {
            if (watchdog != null) {
                watchdog.shutdownNow();
            }
            consoleInput.close();
        }
    }

    /** The run loop (for posting host events and requesting the end of the run). */
    public RunLoop runLoop() {
        return loop;
    }

    /** Host input for the guest's console UART. */
    public ConsoleInput consoleInput() {
        return consoleInput;
    }

    /** Where the kernel, initrd and DTB were placed. */
    public BootPlan bootPlan() {
        return bootPlan;
    }

    /** The device tree the guest was given, as it lies in guest RAM. */
    public byte[] deviceTreeBlob() {
        byte[] b = new byte[(int) (bootPlan.dtb().end() - bootPlan.dtb().start())];
        ram.read(bootPlan.dtb().start(), b, 0, b.length);
        return b;
    }

    /** Counters and timings of the run so far (vCPU thread, or after {@link #run} returned). */
    public MachineStats stats() {
        return new MachineStats(exceptions.counts(), mmioCounts(), sysregHook == null ? 0 : sysregHook.emulated(),
                loop.slices(), loop.idleWaits(), interruptLines.raised(), loop.guestNanos(), uc.callbackNanos(),
                uc.callbacks(), loop.loopNanos(),
                icache.lineInvalidations(), icache.allInvalidations());
    }

    /** Times every callback from now on (see {@link MachineStats}); costs ~50 ns per callback. */
    public void enableProfiling() {
        uc.setProfiling(true);
    }

    /** Exception counters, for the benchmark breakdown. */
    public SyncExceptionHandler exceptions() {
        return exceptions;
    }

    /**
     * This machine's guest errors: counts per device and kind, owned by this machine alone (another
     * machine in the same JVM has its own). Readable from any thread.
     */
    public GuestErrorLog guestErrors() {
        return guestErrors;
    }

    /** The CPU (vCPU thread only). */
    public Cpu cpu() {
        return cpu;
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.strategy().close();
        }
        for (HostStream s : hostStreams) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("closing {}: {}", s.describe(), e.getMessage());
            }
        }
        if (hostIo != null) {
            hostIo.close();
        }
        if (uc != null) {
            uc.close();
        }
        arena.close();
    }

    /** The board's work between slices. */
    private final class Board implements RunLoop.Board {
        @Override
        public void beforeSlice() {
            config.console().flush();
            for (VirtioMmioTransport t : transports) {
                if (t.hasDeferredWork()) {
                    t.runDeferredWork();
                }
            }
            for (HostStream s : hostStreams) {
                if (s instanceof FileHostStream f) {
                    f.flush();
                }
            }
            timer.update();
            rtc.tick();
            if (serrorPending && (cpu.pstate() & Pstate.A) == 0) {
                serrorPending = false;
                LOG.debug("delivering SError for the access to 0x{}", Long.toHexString(serrorAddress));
                entry.enter(ExceptionEntry.Kind.SERROR, cpu.pc(), Esr.of(Esr.EC_SERROR, 0), ExceptionEntry.NO_FAR);
            }
        }

        @Override
        public long nextDeadlineNanos() {
            long count = timer.nextDeadlineCount();
            long deadline = Long.MAX_VALUE;
            if (count != Long.MAX_VALUE) {
                deadline = count << 4;
            }
            long rtcDelay = rtc.nanosUntilMatch();
            if (rtcDelay != Pl031.NO_DEADLINE) {
                deadline = Math.min(deadline, System.nanoTime() + rtcDelay);
            }
            return deadline;
        }

        @Override
        public boolean interruptPending() {
            return gic.wakeupPending();
        }
    }
}
