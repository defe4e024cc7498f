package dev.aarvark.devices.uart;

import static dev.aarvark.devices.uart.Pl011Registers.*;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.ProtocolError;
import dev.aarvark.devices.RegisterError;
import dev.aarvark.devices.RegisterAccess;
import dev.aarvark.devices.IrqLine;
import dev.aarvark.devices.MmioDevice;
import dev.aarvark.devices.io.ByteSink;

import java.util.Objects;

/**
 * The ARM PrimeCell UART (PL011) as QEMU's {@code virt} board has it at 0x0900_0000: the register
 * block of the PL011 Technical Reference Manual r1p5 (ARM DDI 0183), identifying itself as revision
 * r1p1 with QEMU's ID values, with 16-entry FIFOs, whose serial line is a byte stream to and from
 * the host.
 *
 * <h2>Host side</h2>
 * Transmitted bytes are offered to a {@link ByteSink} during the guest's write of UARTDR (what it
 * refuses waits in the transmit FIFO, see below). Received bytes
 * come from the machine through {@link #receive}, which takes only what fits in the receive FIFO
 * and returns how many it took. The machine keeps the rest and offers it again when the UART calls
 * the listener set with {@link #setRxSpaceListener}, which happens once room appears (a read of
 * UARTDR, the receiver re-enabled, the FIFOs enabled). Host input is therefore never dropped and
 * never overruns the FIFO: the host waits for the guest, as a line with flow control would.
 *
 * <h2>Behaviour choices (each cited where it is implemented)</h2>
 * <ul>
 *   <li>Transmission is instantaneous while the host takes the bytes: with UARTCR.TXE set the
 *       transmit FIFO empties into the host sink as soon as it is written, so BUSY and TXFF are not
 *       seen and TXFE is. When the host has no room (a terminal or pipe that does not keep up; the
 *       sink never blocks the vCPU), the bytes it refused stay in the FIFO: BUSY shows, TXFF once
 *       the FIFO is full, as on a line with flow control, and the FIFO empties (with the transmit
 *       interrupt) when the host has room again. A guest that writes UARTDR while TXFF is set loses
 *       that character, as the TRM says, and it is reported as a guest error. The transmit
 *       interrupt is raised only once the FIFO has drained to its trigger level, so Linux (which
 *       polls TXFF, or writes half a FIFO on that interrupt) and any driver that polls TXFF lose
 *       nothing. With TXE clear, written characters wait in the FIFO (up to its
 *       depth) until TXE is set, as the TRM describes for a disabled transmitter.</li>
 *   <li>UARTCR.UARTEN does not gate anything. On QEMU's {@code virt} board nothing enables the UART
 *       before the guest runs (UARTCR resets to TXE|RXE with UARTEN clear), and guests built for it
 *       print without enabling it: Linux's {@code earlycon} writes UARTDR directly, as do most
 *       bare-metal programs. QEMU transmits and receives regardless; so does this model.</li>
 *   <li>The receiver takes characters only while UARTCR.RXE is set. With CR.LBE set (loopback) the
 *       transmitter feeds the receiver instead of the host, the host line is disconnected (host
 *       input waits), and the modem outputs RTS, DTR, Out1, Out2 feed the modem inputs CTS, DSR,
 *       DCD, RI. Outside loopback the modem inputs read as deasserted, as on QEMU.</li>
 *   <li>Receive timeout (RTRIS): the host delivers input in bursts, so the line is idle as soon as
 *       a delivery ends. RTRIS is raised at the end of every delivery that leaves the receive FIFO
 *       non-empty and cleared when the FIFO empties or through UARTICR, so a character below the
 *       receive trigger level interrupts at once. Linux's amba-pl011 enables RTIM and RXIM and
 *       reads until RXFE on either, which this satisfies. Unlike the hardware's free-running
 *       32-bit-period counter, clearing RTRIS with data still waiting does not re-raise it until
 *       the next delivery (no guest busy-loops on an interrupt it just cleared).</li>
 *   <li>Transmit interrupt (TXRIS): edge-like, as the TRM specifies; it is not raised by reset or
 *       by enabling the UART, only when transmitted data leaves the FIFO and it falls to or below
 *       the trigger level (here: whenever characters are transmitted). It is cleared through
 *       UARTICR, or by writes that fill the FIFO above the level while TXE holds them.</li>
 *   <li>Line format (baud rate, word length, parity, stop bits), IrDA and DMA registers are kept
 *       and read back but have no effect: the host line carries whole bytes, and the board wires
 *       no DMA request lines (Linux logs "no DMA platform data" and uses programmed I/O).</li>
 *   <li>Changing LCR_H.FEN does not flush the FIFOs (QEMU does); the receive FIFO may then hold
 *       more than the new depth until the guest reads it, so accepted host input is never
 *       lost.</li>
 * </ul>
 *
 * <h2>Invariants</h2>
 * All methods run on the vCPU thread; the device holds no locks and starts no threads. The IRQ line
 * is driven only on a change of {@code (UARTRIS & UARTIMSC) != 0}. A guest mistake (unknown offset,
 * unsupported width, write to a read-only register, write to a full transmit FIFO, reserved field
 * value) is reported through the machine's {@link GuestErrorLog} and never throws. Host buffers do not grow with
 * guest behaviour: the FIFOs have fixed size.
 */
public final class Pl011 implements MmioDevice {
    /** Size of the register block in bytes. */
    public static final long REGION_SIZE = 0x1000;

    private final String name;
    private final GuestErrorLog errors;
    private final ByteSink output;
    private final Pl011Interrupts interrupts;
    private final UartFifo rxFifo = new UartFifo(FIFO_DEPTH);
    private final UartFifo txFifo = new UartFifo(FIFO_DEPTH);
    private Runnable rxSpaceListener = () -> { };

    private int rsr;
    private int ilpr;
    private int ibrd;
    private int fbrd;
    private int lcrH;
    private int cr = CR_RESET;
    private int ifls = IFLS_RESET;
    private int dmacr;
    /** The modem status inputs as UARTFR shows them (CTS, DSR, DCD, RI bits). */
    private int modemInputs;
    /** An overrun happened; the next character into the receive FIFO carries DR.OE. */
    private boolean overrunPending;
    /** The latest host offer was not taken in full; tell the machine when space appears. */
    private boolean hostWaiting;

    private long bytesTransmitted;
    /** The host refused bytes and has been asked to say when it has room. */
    private boolean waitingForHostRoom;
    private long bytesReceived;

    /**
     * A PL011 in its reset state.
     *
     * @param name   the name for logs and guest errors, e.g. "pl011"
     * @param irq    the UARTINTR line to the interrupt controller
     * @param output where transmitted bytes go
     * @param errors the machine's guest error log
     */
    public Pl011(String name, IrqLine irq, ByteSink output, GuestErrorLog errors) {
        this.name = Objects.requireNonNull(name, "name");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.interrupts = new Pl011Interrupts(Objects.requireNonNull(irq, "irq"));
        this.output = Objects.requireNonNull(output, "output");
    }

    /** A PL011 named "pl011". */
    public Pl011(IrqLine irq, ByteSink output, GuestErrorLog errors) {
        this("pl011", irq, output, errors);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return REGION_SIZE;
    }

    // ---------------------------------------------------------------- host side

    /**
     * Offers bytes that arrived from the host. Takes as many as the receive FIFO has room for
     * ({@link #rxSpace()}), in order, and returns that count; the caller keeps the rest and offers
     * them again once the listener set with {@link #setRxSpaceListener} runs.
     */
    public int receive(byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        int accepted = Math.min(len, rxSpace());
        for (int i = 0; i < accepted; i++) {
            pushReceived(data[off + i] & 0xFF);
        }
        hostWaiting = accepted < len;
        if (accepted > 0) {
            bytesReceived += accepted;
            endOfDelivery();
            interrupts.syncLine();
        }
        return accepted;
    }

    /**
     * Offers a break condition from the host (a serial BREAK, e.g. for the guest's magic SysRq): a
     * NUL character with DR.BE set, raising BERIS. Returns false, and the caller should offer it
     * again later, if the receive FIFO has no room.
     */
    public boolean receiveBreak() {
        if (rxSpace() == 0) {
            hostWaiting = true;
            return false;
        }
        hostWaiting = false;
        pushReceived(DR_BE);
        endOfDelivery();
        interrupts.syncLine();
        return true;
    }

    /**
     * How many host bytes {@link #receive} would take now: the free entries of the receive FIFO, or
     * 0 while the receiver is disabled (CR.RXE clear) or disconnected from the host (CR.LBE set).
     */
    public int rxSpace() {
        return acceptsHostInput() ? Math.max(0, fifoDepth() - rxFifo.count()) : 0;
    }

    /**
     * Sets what to run, on the vCPU thread, when room appears for host input after an offer that
     * was not taken in full. It runs once per such offer, at the end of the guest access that made
     * the room; it may call {@link #receive} directly.
     */
    public void setRxSpaceListener(Runnable listener) {
        this.rxSpaceListener = Objects.requireNonNull(listener, "listener");
    }

    /** Characters transmitted so far (to the host, or to the receiver in loopback). */
    public long bytesTransmitted() {
        return bytesTransmitted;
    }

    /** Host bytes taken into the receive FIFO so far. */
    public long bytesReceived() {
        return bytesReceived;
    }

    // ---------------------------------------------------------------- MMIO

    @Override
    public long read(long offset, int size) {
        if (!RegisterAccess.check(errors, name, "read", offset, size, REGION_SIZE)) {
            return 0;
        }
        int reg = (int) offset & ~3;
        long value = readRegister(reg) & 0xFFFF_FFFFL;
        interrupts.syncLine();
        offerSpaceIfWaiting();
        return (value >>> (8 * ((int) offset & 3))) & RegisterAccess.widthMask(size);
    }

    @Override
    public void write(long offset, int size, long value) {
        if (!RegisterAccess.check(errors, name, "write", offset, size, REGION_SIZE)) {
            return;
        }
        if ((offset & 3) != 0) {
            // A narrow write at byte lane 0 is a write of the whole register, zero-extended (as
            // QEMU does; earlycon writes UARTDR with single bytes). Upper lanes have no meaning.
            errors.report(name, RegisterError.PARTIAL_WRITE, String.format("%d-byte write of 0x%x at %s",
                    size, value, nameOf((int) offset & ~3) + "+" + (offset & 3)));
            return;
        }
        writeRegister((int) offset, (int) (value & RegisterAccess.widthMask(size)));
        interrupts.syncLine();
        offerSpaceIfWaiting();
    }

    private int readRegister(int reg) {
        return switch (reg) {
            case DR -> readData();
            case RSR_ECR -> rsr;
            case FR -> flags();
            case ILPR -> ilpr;
            case IBRD -> ibrd;
            case FBRD -> fbrd;
            case LCR_H -> lcrH;
            case CR -> cr;
            case IFLS -> ifls;
            case IMSC -> interrupts.mask();
            case RIS -> interrupts.raw();
            case MIS -> interrupts.masked();
            case DMACR -> dmacr;
            case ICR -> {
                errors.report(name, RegisterError.READ_WRITE_ONLY, "read of ICR returns 0");
                yield 0;
            }
            default -> {
                if (isIdRegister(reg)) {
                    yield ID_BYTES[(reg - PERIPH_ID0) >> 2];
                }
                errors.report(name, RegisterError.READ_UNKNOWN, String.format("offset 0x%03x", reg));
                yield 0;
            }
        };
    }

    private void writeRegister(int reg, int value) {
        switch (reg) {
            case DR -> transmit(value & 0xFF);
            case RSR_ECR -> rsr = 0; // TRM 3.3.2: any write to UARTECR clears the errors
            case ILPR -> ilpr = value & ILPR_MASK;
            case IBRD -> ibrd = value & IBRD_MASK;
            case FBRD -> fbrd = value & FBRD_MASK;
            case LCR_H -> writeLineControl(value);
            case CR -> writeControl(value);
            case IFLS -> writeFifoLevels(value);
            case IMSC -> interrupts.setMask(value);
            case ICR -> interrupts.clear(value & INT_MASK);
            case DMACR -> dmacr = value & DMACR_MASK; // accepted, no DMA: see the class comment
            case FR, RIS, MIS -> errors.report(name, RegisterError.WRITE_READ_ONLY,
                    String.format("%s <- 0x%x ignored", nameOf(reg), value));
            default -> {
                if (isIdRegister(reg)) {
                    errors.report(name, RegisterError.WRITE_READ_ONLY,
                            String.format("%s <- 0x%x ignored", nameOf(reg), value));
                } else {
                    errors.report(name, RegisterError.WRITE_UNKNOWN,
                            String.format("offset 0x%03x <- 0x%x ignored", reg, value));
                }
            }
        }
    }

    private static boolean isIdRegister(int reg) {
        return reg >= PERIPH_ID0 && reg <= CELL_ID3;
    }

    // ---------------------------------------------------------------- transmit

    private void transmit(int ch) {
        if (txFifo.count() >= fifoDepth()) {
            // TRM 3.3.1: with the transmit FIFO full a write is lost. Reachable while TXE is clear,
            // or while the host has no room and the guest does not poll TXFF.
            errors.report(name, ProtocolError.TRANSMIT_FIFO_FULL, String.format(
                    "DR <- 0x%02x dropped: the FIFO holds %d of %d (TXFF), waiting for %s", ch,
                    txFifo.count(), fifoDepth(), (cr & CR_TXE) == 0 ? "CR.TXE" : "the host to take output"));
            return;
        }
        txFifo.push(ch);
        // TRM "Interrupts": TXRIS is cleared by writing until the FIFO is above the trigger level.
        if (txFifo.count() > txLevel()) {
            interrupts.clear(INT_TX);
        }
        if ((cr & CR_TXE) != 0) {
            drainTransmitFifo();
        }
    }

    private void drainTransmitFifo() {
        int n = txFifo.count();
        if (n == 0) {
            return;
        }
        if ((cr & CR_LBE) != 0) {
            while (!txFifo.isEmpty()) {
                receiveFromLine(txFifo.pop());
            }
            endOfDelivery();
        } else {
            n = txFifo.drainTo(output);
            if (!txFifo.isEmpty() && !waitingForHostRoom) {
                // The host line is full: the rest waits in the FIFO (BUSY, and TXFF once it fills,
                // as a line with flow control shows) until the host has room.
                waitingForHostRoom = true;
                output.whenRoom(this::hostRoom);
            }
            if (n == 0) {
                return;
            }
        }
        bytesTransmitted += n;
        // TRM "Interrupts": the transmit interrupt is set when written data leaves the FIFO and it
        // falls to or through the trigger level. A host that took only part of the FIFO leaves it
        // above the level: no interrupt yet (Linux's interrupt handler then writes half a FIFO
        // without polling TXFF).
        if (txFifo.count() <= txLevel()) {
            interrupts.raise(INT_TX);
        }
    }

    /** The host has room again (vCPU thread, outside any register access): carry on transmitting. */
    private void hostRoom() {
        waitingForHostRoom = false;
        if ((cr & CR_TXE) != 0) {
            drainTransmitFifo();
            interrupts.syncLine();
        }
    }

    // ---------------------------------------------------------------- receive

    private boolean acceptsHostInput() {
        return (cr & CR_RXE) != 0 && (cr & CR_LBE) == 0;
    }

    /** A character arriving on the internal loopback line; the host path never overruns. */
    private void receiveFromLine(int entry) {
        if ((cr & CR_RXE) == 0) {
            return; // a disabled receiver does not sample the line
        }
        if (rxFifo.count() >= fifoDepth()) {
            // TRM 3.3.2: overrun; the FIFO contents stay valid, the new character is lost, RSR.OE
            // is set at once and the next character to enter the FIFO carries DR.OE.
            rsr |= RSR_OE;
            overrunPending = true;
            interrupts.raise(INT_OE);
            return;
        }
        pushReceived(entry);
    }

    private void pushReceived(int entry) {
        if (overrunPending) {
            entry |= DR_OE;
            overrunPending = false;
        }
        int before = rxFifo.count();
        rxFifo.push(entry);
        int trigger = rxTrigger();
        // TRM "Interrupts": RXRIS is raised when the FIFO reaches the trigger level (an edge:
        // Linux's pl011_enable_interrupts drains the FIFO because a full FIFO cannot re-raise it).
        if (before < trigger && before + 1 >= trigger) {
            interrupts.raise(INT_RX);
        }
        if ((entry & DR_BE) != 0) {
            interrupts.raise(INT_BE);
        }
    }

    /** The line goes idle after a delivery: the receive timeout is due if data is waiting. */
    private void endOfDelivery() {
        if (!rxFifo.isEmpty()) {
            interrupts.raise(INT_RT);
        }
    }

    private int readData() {
        if (rxFifo.isEmpty()) {
            return 0;
        }
        int entry = rxFifo.pop();
        // TRM 3.3.2: RSR's break, parity and framing bits describe the character just read from
        // UARTDR; the overrun bit is set when the overrun happens and stays until UARTECR.
        rsr = (rsr & RSR_OE) | ((entry >> 8) & RSR_MASK);
        if (rxFifo.count() < rxTrigger()) {
            interrupts.clear(INT_RX);
        }
        if (rxFifo.isEmpty()) {
            interrupts.clear(INT_RT);
        }
        return entry;
    }

    private void offerSpaceIfWaiting() {
        if (hostWaiting && rxSpace() > 0) {
            hostWaiting = false;
            rxSpaceListener.run();
        }
    }

    // ---------------------------------------------------------------- control

    private int flags() {
        int depth = fifoDepth();
        int fr = modemInputs;
        fr |= txFifo.isEmpty() ? FR_TXFE : FR_BUSY;
        if (txFifo.count() >= depth) {
            fr |= FR_TXFF;
        }
        if (rxFifo.isEmpty()) {
            fr |= FR_RXFE;
        }
        if (rxFifo.count() >= depth) {
            fr |= FR_RXFF;
        }
        return fr;
    }

    private void writeLineControl(int value) {
        int old = lcrH;
        lcrH = value & LCR_H_MASK;
        if ((old & LCR_H_BRK) == 0 && (lcrH & LCR_H_BRK) != 0 && (cr & CR_LBE) != 0) {
            // In loopback the receiver sees the break the transmitter sends.
            receiveFromLine(DR_BE);
            endOfDelivery();
        }
    }

    private void writeControl(int value) {
        cr = value & CR_MASK;
        updateModemInputs();
        if ((cr & CR_TXE) != 0) {
            drainTransmitFifo();
        }
    }

    /** TRM 3.3.8 LBE: in loopback the modem outputs are fed through to the modem inputs. */
    private void updateModemInputs() {
        int inputs = 0;
        if ((cr & CR_LBE) != 0) {
            inputs |= (cr & CR_RTS) != 0 ? FR_CTS : 0;
            inputs |= (cr & CR_DTR) != 0 ? FR_DSR : 0;
            inputs |= (cr & CR_OUT1) != 0 ? FR_DCD : 0;
            inputs |= (cr & CR_OUT2) != 0 ? FR_RI : 0;
        }
        int changed = inputs ^ modemInputs;
        modemInputs = inputs;
        // TRM 3.3.11: each modem interrupt is raised when its input changes.
        interrupts.raise(((changed & FR_CTS) != 0 ? INT_CTS : 0)
                | ((changed & FR_DSR) != 0 ? INT_DSR : 0)
                | ((changed & FR_DCD) != 0 ? INT_DCD : 0)
                | ((changed & FR_RI) != 0 ? INT_RI : 0));
    }

    private void writeFifoLevels(int value) {
        if (FifoLevels.isReserved(value)) {
            errors.report(name, RegisterError.RESERVED_VALUE,
                    String.format("IFLS <- 0x%x: reserved encodings behave as 1/2", value));
        }
        ifls = value & IFLS_MASK;
    }

    private boolean fifoEnabled() {
        return (lcrH & LCR_H_FEN) != 0;
    }

    private int fifoDepth() {
        return fifoEnabled() ? FIFO_DEPTH : 1;
    }

    private int rxTrigger() {
        return FifoLevels.rxTrigger(ifls, fifoEnabled(), FIFO_DEPTH);
    }

    private int txLevel() {
        return FifoLevels.txLevel(ifls, fifoEnabled(), FIFO_DEPTH);
    }
}
