package dev.aarvark.devices.uart;

import dev.aarvark.devices.testkit.RecordingIrqLine;
import static dev.aarvark.devices.uart.Pl011Registers.*;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.GuestError;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A PL011 wired to a recording IRQ line and an in-memory host sink, with register shorthands. */
final class Pl011Harness {
    final String name = "pl011-test";
    final GuestErrorLog guestErrors = new GuestErrorLog();
    final RecordingIrqLine irq = new RecordingIrqLine();
    final ByteArrayOutputStream host = new ByteArrayOutputStream();
    /** Bytes the host takes before it has no room (tests of host backpressure lower it). */
    int hostRoom = Integer.MAX_VALUE;
    /** What the UART asked to be told when the host has room again. */
    Runnable roomWaiter;
    final Pl011 uart = new Pl011(name, irq, new dev.aarvark.devices.io.ByteSink() {
        @Override
        public int offer(byte[] b, int off, int len) {
            int n = Math.min(len, hostRoom);
            host.write(b, off, n);
            hostRoom -= n;
            return n;
        }

        @Override
        public int room() {
            return hostRoom;
        }

        @Override
        public void whenRoom(Runnable r) {
            roomWaiter = r;
        }
    }, guestErrors);

    /** The host has room again for {@code bytes} more: tell the UART, as the run loop would. */
    void hostTakesAgain(int bytes) {
        hostRoom = bytes;
        Runnable r = roomWaiter;
        roomWaiter = null;
        if (r != null) {
            r.run();
        }
    }

    int read(int offset) {
        return (int) uart.read(offset, 4);
    }

    void write(int offset, int value) {
        uart.write(offset, 4, value);
    }

    /** The setup Linux's amba-pl011 ends up with: FIFOs on, 8 bits, UART, TX and RX enabled. */
    Pl011Harness linuxConfigured() {
        write(LCR_H, LCR_H_FEN | 0x60);
        write(CR, CR_UARTEN | CR_TXE | CR_RXE);
        return this;
    }

    String sent() {
        return host.toString(StandardCharsets.ISO_8859_1);
    }

    int offer(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return uart.receive(bytes, 0, bytes.length);
    }

    void send(String text) {
        for (char c : text.toCharArray()) {
            write(DR, c);
        }
    }

    /** Reads characters until FR.RXFE, as a driver would. */
    String drain() {
        StringBuilder sb = new StringBuilder();
        while ((read(FR) & FR_RXFE) == 0) {
            sb.append((char) (read(DR) & 0xFF));
        }
        return sb.toString();
    }

    boolean flag(int bit) {
        return (read(FR) & bit) != 0;
    }

    boolean raw(int bit) {
        return (read(RIS) & bit) != 0;
    }

    long errors(GuestError kind) {
        return guestErrors.count(name, kind);
    }
}
