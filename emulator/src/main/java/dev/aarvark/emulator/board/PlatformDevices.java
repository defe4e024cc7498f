package dev.aarvark.emulator.board;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.io.ByteSink;
import dev.aarvark.devices.rtc.Pl031;
import dev.aarvark.devices.rtc.WallClock;
import dev.aarvark.devices.timer.GenericTimer;
import dev.aarvark.devices.uart.Pl011;

/**
 * The {@code virt} board's fixed devices, built and wired from the board table: the PL011 UART
 * (the console), the PL031 real-time clock and the generic timer's EL1 physical and virtual
 * timers (Arm ARM D11). vCPU thread only.
 */
public final class PlatformDevices {
    /** The name the generic timer's connections carry (it has no registers on the bus). */
    public static final String TIMER_NAME = "generic-timer";

    private final Pl011 uart;
    private final Pl031 rtc;
    private final GenericTimer timer;

    private PlatformDevices(Pl011 uart, Pl031 rtc, GenericTimer timer) {
        this.uart = uart;
        this.rtc = rtc;
        this.timer = timer;
    }

    /** Builds the devices, maps the UART and RTC on {@code bus} and connects all three to {@code gic}. */
    public static PlatformDevices wire(InterruptController gic, MmioBus bus, ByteSink console, GuestErrorLog errors) {
        Pl011 uart = new Pl011("pl011", gic.line("pl011", VirtBoard.UART.interrupt()), console, errors);
        Pl031 rtc = new Pl031("pl031", gic.line("pl031", VirtBoard.RTC.interrupt()), WallClock.SYSTEM, errors);
        GenericTimer timer = new GenericTimer(GenericTimer::hostCounter, gic.line(TIMER_NAME, VirtBoard.TIMER_PHYS),
                gic.line(TIMER_NAME, VirtBoard.TIMER_VIRT));
        bus.map(VirtBoard.UART, uart);
        bus.map(VirtBoard.RTC, rtc);
        return new PlatformDevices(uart, rtc, timer);
    }

    public Pl011 uart() {
        return uart;
    }

    public Pl031 rtc() {
        return rtc;
    }

    public GenericTimer timer() {
        return timer;
    }
}
