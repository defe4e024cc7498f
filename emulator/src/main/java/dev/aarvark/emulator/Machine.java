package dev.aarvark.emulator;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.io.ByteSink;
import dev.aarvark.devices.rtc.Pl031;
import dev.aarvark.devices.io.HostStream;
import dev.aarvark.devices.virtio.console.ConsoleLimits;
import dev.aarvark.devices.virtio.console.ConsolePortSpec;
import dev.aarvark.devices.virtio.console.VirtioConsole;
import dev.aarvark.devices.io.net.FrameBackend;
import dev.aarvark.devices.virtio.net.MacAddress;
import dev.aarvark.devices.virtio.net.VirtioNet;
import dev.aarvark.devices.virtio.mmio.VirtioMmioVersion;
import dev.aarvark.emulator.board.GicVersion;
import dev.aarvark.emulator.board.HostPorts;
import dev.aarvark.emulator.board.InterruptController;
import dev.aarvark.emulator.board.MmioBus;
import dev.aarvark.emulator.board.PlatformDevices;
import dev.aarvark.emulator.board.UnassignedRegion;
import dev.aarvark.emulator.board.VirtBoard;
import dev.aarvark.emulator.board.VirtioSlots;
import dev.aarvark.iommu.BypassDmaSpace;
import dev.aarvark.iommu.DmaFaultLog;
import dev.aarvark.iommu.DmaSpace;
import dev.aarvark.iommu.policy.DmaWindow;
import dev.aarvark.iommu.policy.HostPolicyDmaSpace;
import dev.aarvark.iommu.smmuv3.SmmuDmaSpace;
import dev.aarvark.iommu.smmuv3.SmmuInterrupt;
import dev.aarvark.devices.iommu.SmmuV3Device;
import dev.aarvark.emulator.boot.BootPlan;
import dev.aarvark.emulator.boot.BootRequest;
import dev.aarvark.emulator.boot.DtbFactory;
import dev.aarvark.emulator.boot.KernelLoader;
import dev.aarvark.emulator.boot.UserDeviceTree;
import dev.aarvark.emulator.boot.VirtDeviceTree;
import dev.aarvark.emulator.boot.VirtDeviceTreeConfig;
import dev.aarvark.devices.io.ConsoleInput;
import dev.aarvark.emulator.cpu.Cpu;
import dev.aarvark.emulator.cpu.CpuHooks;
import dev.aarvark.emulator.cpu.Esr;
import dev.aarvark.emulator.cpu.ExceptionEntry;
import dev.aarvark.emulator.cpu.Pstate;
import dev.aarvark.emulator.cpu.ResetState;
import dev.aarvark.emulator.cpu.SyncExceptionHandler;
import dev.aarvark.emulator.cpu.VirtualInterruptLines;
import dev.aarvark.emulator.cpu.semihosting.Semihosting;
import dev.aarvark.emulator.cpu.sysreg.GicV3Registers;
import dev.aarvark.emulator.cpu.sysreg.IdRegisters;
import dev.aarvark.emulator.cpu.sysreg.SystemRegisterTable;
import dev.aarvark.emulator.cpu.sysreg.TimerRegisters;
import dev.aarvark.emulator.cpu.unicorn.Unicorn;
import dev.aarvark.emulator.cpu.unicorn.UnicornException;
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
    private final MmioBus bus;
    private final InterruptController gic;
    private final PlatformDevices platform;
    private final VirtioSlots virtio;
    /** The SMMU, when the board has one ({@code --iommu smmuv3}). */
    private final SmmuV3Device smmu;
    private final List<VirtioNet> nics = new ArrayList<>();
    /** Every refused or flagged device memory access of this machine. */
    private final DmaFaultLog dmaFaults = new DmaFaultLog();
    /** Transport name to the name the user gives a device (virtio-net@a003e00 to virtio-net0), in slot order. */
    private final java.util.Map<String, String> deviceLabels = new java.util.LinkedHashMap<>();
    private final HostPorts hostPorts;
    private final RunLoop loop;
    private final ConsoleInput consoleInput;
    private final CpuHooks hooks;
    private final ExceptionEntry entry;
    private final BootPlan bootPlan;
    private final VirtualInterruptLines interruptLines;
    private boolean serrorPending;
    private long serrorAddress;

    private Machine(MachineConfig config, CompletableFuture<PreemptionStrategy> chosenStrategy) {
        this.config = config;
        VirtBoard.ramSizeProblem(config.ramBytes()).ifPresent(problem -> {
            throw new MachineConfigException(MachineConfigException.Field.MEMORY, config.ramBytes() + " bytes", problem);
        });
        try {
            this.ram = GuestRam.allocate(arena, VirtBoard.RAM_BASE, config.ramBytes());
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

            // The board, from its table: interrupt controller, fixed devices, virtio slots, holes.
            this.bus = new MmioBus(uc, space);
            this.interruptLines = new VirtualInterruptLines(cpu, strategy::requestControl);
            this.gic = InterruptController.wire(config.gic(), interruptLines, guestErrors, bus);
            // The console never blocks the vCPU; the devices it holds back are told on the vCPU thread.
            ByteSink console = config.console().postingRoomTo(this::postToVcpu);
            this.platform = PlatformDevices.wire(gic, bus, console, guestErrors);
            Board board = new Board();
            this.loop = new RunLoop(cpu, strategy, board);
            // A guest that arms a timer mid-slice must still be woken when it is due.
            platform.timer().setDeadlineListener(() -> strategy.setDeadline(board.nextDeadlineNanos()));
            platform.rtc().setDeadlineListener(() -> strategy.setDeadline(board.nextDeadlineNanos()));
            ConsoleInput uartInput = new ConsoleInput(platform.uart()::receive, loop::post);
            platform.uart().setRxSpaceListener(uartInput::drain);
            this.hostPorts = new HostPorts(console, loop::post);
            this.virtio = new VirtioSlots(gic, guestErrors);
            if (config.dma().smmu()) {
                java.util.Map<SmmuInterrupt, dev.aarvark.devices.IrqLine> lines = new java.util.EnumMap<>(SmmuInterrupt.class);
                for (SmmuInterrupt line : SmmuInterrupt.values()) {
                    lines.put(line, gic.line(SmmuV3Device.NAME, VirtBoard.SMMUV3.interrupts().get(line.ordinal())));
                }
                this.smmu = new SmmuV3Device(space, lines, guestErrors);
                bus.map(VirtBoard.SMMUV3, smmu);
                LOG.info("smmuv3 at 0x{}: virtio-mmio slot n is stream n; DMA is aborted until the guest enables it",
                        Long.toHexString(VirtBoard.SMMUV3.base()));
            } else {
                this.smmu = null;
            }
            if (config.dma().failOnFault()) {
                dmaFaults.onFirstFault(f -> loop.requestExit(MachineExit.of(MachineExit.Reason.DMA_FAULT, f.describe())));
            }
            if (config.virtioConsole() != null) {
                attachConsole(config.virtioConsole());
            }
            for (int i = 0; i < config.nics().size(); i++) {
                attachNic(i, config.nics().get(i));
            }
            checkDmaWindowsNameDevices(config.dma());
            virtio.map(bus);
            bus.mapHoles(config.cpu().paBits(), this::externalAbort, guestErrors);
            this.consoleInput = hostPorts.stdioInput().orElse(uartInput);

            SystemRegisterTable sysregs = new SystemRegisterTable();
            TimerRegisters.register(sysregs, platform.timer());
            IdRegisters.register(sysregs, cpu.read(IdRegisters.ID_AA64PFR0_EL1), config.gic() == GicVersion.V3 ? 1 : 0);
            gic.systemRegisterInterface().ifPresent(cpuif -> GicV3Registers.register(sysregs, cpuif));
            Semihosting semihosting = config.semihosting() ? new Semihosting(console, loop, config.append(), guestErrors) : null;
            this.hooks = CpuHooks.install(uc, cpu, entry, sysregs, semihosting, loop, ram);

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
                random.nextLong(), true, config.dma().smmu());
        return VirtDeviceTree.factory(dt);
    }

    /**
     * The {@code index}-th virtio-net card (from 0), its host side opened, in the next virtio slot
     * (QEMU's order: after the console), with QEMU's default MAC for that index unless one was given.
     */
    private void attachNic(int index, NicConfig nic) {
        String name = virtio.nextName("virtio-net");
        byte[] given = nic.mac();
        MacAddress mac = given != null ? MacAddress.of(given, 0) : MacAddress.qemuDefault(index);
        FrameBackend backend = hostPorts.openNet(nic.backend(), nic.pcap());
        VirtioNet device = new VirtioNet(name, mac, backend, guestErrors);
        nics.add(device);
        virtio.attach(name, device, dmaSpaceFor("virtio-net" + index, name),
                nic.transportVersion() == 1 ? VirtioMmioVersion.LEGACY : VirtioMmioVersion.MODERN, smmu != null);
        LOG.info("{}: mac {}, {}", name, mac, backend.describe());
    }

    /**
     * The path to RAM of the device the user calls {@code label} and the board {@code name}, in the
     * next virtio slot: RAM, through the SMMU (stream = slot number) when the board has one, then
     * through the host DMA policy with the windows given for either name. Its refusals go to
     * {@link #dmaFaults()}.
     */
    private DmaSpace dmaSpaceFor(String label, String name) {
        deviceLabels.put(name, label);
        DmaSpace ram = new BypassDmaSpace(space, dmaFaults);
        if (smmu != null) {
            ram = new SmmuDmaSpace(smmu.smmu(), virtio.nextStreamId(), ram, dmaFaults);
        }
        if (config.dma().policy().isEmpty()) {
            return ram;
        }
        List<DmaWindow> windows = new ArrayList<>();
        windows.addAll(config.dma().windows().getOrDefault(label, List.of()));
        windows.addAll(config.dma().windows().getOrDefault(name, List.of()));
        if (windows.isEmpty()) {
            LOG.info("{} ({}): no --dma-window, so under the {} DMA policy every DMA it makes is a fault", label, name,
                    config.dma().policy().get().name().toLowerCase(java.util.Locale.ROOT));
        } else {
            LOG.info("{} ({}): DMA {} to {}", label, name,
                    config.dma().policy().get().name().toLowerCase(java.util.Locale.ROOT),
                    windows.stream().map(DmaWindow::toString).collect(java.util.stream.Collectors.joining(", ")));
        }
        return new HostPolicyDmaSpace(ram, label, config.dma().policy().get(), windows, dmaFaults);
    }

    /** Every device a --dma-window names exists. */
    private void checkDmaWindowsNameDevices(DmaConfig dma) {
        for (String device : dma.windows().keySet()) {
            if (!deviceLabels.containsKey(device) && !deviceLabels.containsValue(device)) {
                throw new MachineConfigException(MachineConfigException.Field.DMA_WINDOW, device,
                        "the board has no such device" + (deviceLabels.isEmpty() ? " (it has no virtio device)"
                                : "; it has " + String.join(", ", deviceLabels.values())));
            }
        }
    }

    /** Every refused or flagged device memory access so far (vCPU thread, or after the run). */
    public DmaFaultLog dmaFaults() {
        return dmaFaults;
    }

    /** The name the user gives the device the board calls {@code name} (virtio-net0 for virtio-net@a003e00), or {@code name}. */
    public String deviceLabel(String name) {
        return deviceLabels.getOrDefault(name, name);
    }

    /** The virtio-net cards, in slot order. */
    public List<VirtioNet> nics() {
        return List.copyOf(nics);
    }

    /** The virtio-console of {@code console}, its ports' host sides opened, in the next virtio slot. */
    private void attachConsole(VirtioConsoleConfig console) {
        String name = virtio.nextName("virtio-console");
        List<ConsolePortSpec> specs = new ArrayList<>();
        for (VirtioConsoleConfig.Port port : console.ports()) {
            HostStream stream = hostPorts.open(port.backend());
            specs.add(port.name() == null ? ConsolePortSpec.console(stream) : ConsolePortSpec.named(port.name(), stream));
        }
        VirtioConsole device = new VirtioConsole(name, specs, Math.max(VirtioConsole.DEFAULT_PORTS, specs.size()),
                ConsoleLimits.DEFAULT, guestErrors);
        virtio.attach(name, device, dmaSpaceFor("virtio-console0", name),
                console.transportVersion() == 1 ? VirtioMmioVersion.LEGACY : VirtioMmioVersion.MODERN, smmu != null);
    }

    /** MMIO reads and writes so far, by device name ({@code [reads, writes]}). */
    public java.util.Map<String, long[]> mmioCounts() {
        return bus.counts();
    }

    /** What the board mapped (vCPU thread, or after the run). */
    public List<MmioBus.Placement> placements() {
        return bus.placements();
    }

    /** Which device drives which GIC input (vCPU thread, or after the run). */
    public List<InterruptController.Connection> interruptConnections() {
        return gic.connections();
    }

    /** Runs {@code task} on the vCPU thread, between slices (the run loop exists once the machine is built). */
    private void postToVcpu(Runnable task) {
        loop.post(task);
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
            MachineExit exit = loop.run();
            finishGuestOutput(exit);
            return exit;
        } finally {
            if (watchdog != null) {
                watchdog.shutdownNow();
            }
            consoleInput.close();
        }
    }

    /** How long a machine whose guest ended waits for its devices to hand the host what the guest wrote. */
    public static final Duration OUTPUT_DRAIN = Duration.ofSeconds(5);

    /**
     * The guest ended (powered off, reset, exited): what it wrote to a device before that (transmit
     * buffers still in a queue because the host side was full) is handed to the host, as a device
     * that writes synchronously (QEMU's) would have done, within {@link #OUTPUT_DRAIN}. What is left
     * after that is a warning, never silent.
     */
    private void finishGuestOutput(MachineExit exit) {
        if (exit.reason() != MachineExit.Reason.POWER_OFF && exit.reason() != MachineExit.Reason.SEMIHOSTING_EXIT
                && exit.reason() != MachineExit.Reason.RESET) {
            return;
        }
        if (!virtio.finishOutput(System.nanoTime() + OUTPUT_DRAIN.toNanos())) {
            LOG.warn("the guest ended with output still queued in a virtio device after {} s; it was not delivered",
                    OUTPUT_DRAIN.toSeconds());
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
        return new MachineStats(hooks.exceptions().counts(), mmioCounts(), hooks.sysregsEmulated(),
                loop.slices(), loop.idleWaits(), interruptLines.raised(), loop.guestNanos(), uc.callbackNanos(),
                uc.callbacks(), loop.loopNanos(),
                hooks.icache().lineInvalidations(), hooks.icache().allInvalidations(),
                hooks.icache().narrowedInvalidations(), hooks.icache().linesDropped());
    }

    /** Times every callback from now on (see {@link MachineStats}); costs ~50 ns per callback. */
    public void enableProfiling() {
        uc.setProfiling(true);
    }

    /** Exception counters, for the benchmark breakdown. */
    public SyncExceptionHandler exceptions() {
        return hooks.exceptions();
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
        if (hostPorts != null) {
            hostPorts.close();
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
            virtio.runDeferredWork();
            platform.timer().update();
            platform.rtc().tick();
            if (serrorPending && (cpu.pstate() & Pstate.A) == 0) {
                serrorPending = false;
                LOG.debug("delivering SError for the access to 0x{}", Long.toHexString(serrorAddress));
                entry.enter(ExceptionEntry.Kind.SERROR, cpu.pc(), Esr.of(Esr.EC_SERROR, 0), ExceptionEntry.NO_FAR);
            }
        }

        @Override
        public long nextDeadlineNanos() {
            long count = platform.timer().nextDeadlineCount();
            long deadline = Long.MAX_VALUE;
            if (count != Long.MAX_VALUE) {
                deadline = count << 4;
            }
            long rtcDelay = platform.rtc().nanosUntilMatch();
            if (rtcDelay != Pl031.NO_DEADLINE) {
                deadline = Math.min(deadline, System.nanoTime() + rtcDelay);
            }
            return deadline;
        }

        @Override
        public boolean interruptPending() {
            return gic.core().wakeupPending();
        }

        @Override
        public boolean guestFault(int ucErr) {
            if (ucErr == UnicornException.UC_ERR_FETCH_PROT || ucErr == UnicornException.UC_ERR_FETCH_UNMAPPED) {
                hooks.exceptions().fetchFault(cpu.pc());
                return true;
            }
            return false;
        }
    }
}
