package dev.aarvark.devices.uart;

/**
 * Register offsets, bit positions and reset values of the ARM PrimeCell UART (PL011), from the
 * PL011 Technical Reference Manual r1p5 (ARM DDI 0183), chapter 3 "Programmers Model".
 *
 * <p>Only the names the model uses; nothing here has behaviour.
 */
final class Pl011Registers {
    private Pl011Registers() {}

    // Register offsets (TRM 3.2, table 3-1 "UART register summary").
    static final int DR = 0x000;
    static final int RSR_ECR = 0x004;
    static final int FR = 0x018;
    static final int ILPR = 0x020;
    static final int IBRD = 0x024;
    static final int FBRD = 0x028;
    static final int LCR_H = 0x02C;
    static final int CR = 0x030;
    static final int IFLS = 0x034;
    static final int IMSC = 0x038;
    static final int RIS = 0x03C;
    static final int MIS = 0x040;
    static final int ICR = 0x044;
    static final int DMACR = 0x048;
    static final int PERIPH_ID0 = 0xFE0;
    static final int CELL_ID3 = 0xFFC;

    /**
     * UARTPeriphID0-3 then UARTPCellID0-3, one byte per word from 0xFE0 (TRM 3.3.15-3.3.22). The
     * values are QEMU's "arm" PL011: part number 0x011, designer 0x41 (ARM), revision 1, so Linux's
     * AMBA bus reads periphid 0x00141011 and cellid 0xB105F00D and amba-pl011 picks 16-entry FIFOs
     * (it uses 32 only for revision 3, r1p5).
     */
    static final int[] ID_BYTES = {0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1};

    /**
     * FIFO depth. The ID registers above report revision 1 (r1p1), whose FIFOs are 16x8 transmit
     * and 16x12 receive; only r1p5 (revision 3) has 32-entry FIFOs (TRM chapter 1, "Features of the
     * UART", and its revision history). Linux sizes its FIFO use from the revision field, so the
     * depth must agree with it; QEMU uses 16 as well.
     */
    static final int FIFO_DEPTH = 16;

    // UARTDR receive status bits, bits 11:8 of a receive FIFO entry (TRM 3.3.1).
    static final int DR_FE = 1 << 8;
    static final int DR_PE = 1 << 9;
    static final int DR_BE = 1 << 10;
    static final int DR_OE = 1 << 11;

    // UARTRSR bits (TRM 3.3.2).
    static final int RSR_OE = 1 << 3;
    static final int RSR_MASK = 0xF;

    // UARTFR bits (TRM 3.3.3).
    static final int FR_CTS = 1 << 0;
    static final int FR_DSR = 1 << 1;
    static final int FR_DCD = 1 << 2;
    static final int FR_BUSY = 1 << 3;
    static final int FR_RXFE = 1 << 4;
    static final int FR_TXFF = 1 << 5;
    static final int FR_RXFF = 1 << 6;
    static final int FR_TXFE = 1 << 7;
    static final int FR_RI = 1 << 8;

    // UARTLCR_H bits (TRM 3.3.7).
    static final int LCR_H_BRK = 1 << 0;
    static final int LCR_H_FEN = 1 << 4;
    static final int LCR_H_MASK = 0xFF;

    // UARTCR bits (TRM 3.3.8); bits 6:3 are reserved.
    static final int CR_UARTEN = 1 << 0;
    static final int CR_LBE = 1 << 7;
    static final int CR_TXE = 1 << 8;
    static final int CR_RXE = 1 << 9;
    static final int CR_DTR = 1 << 10;
    static final int CR_RTS = 1 << 11;
    static final int CR_OUT1 = 1 << 12;
    static final int CR_OUT2 = 1 << 13;
    static final int CR_MASK = 0xFF87;
    static final int CR_RESET = CR_TXE | CR_RXE;

    // Interrupt bits shared by UARTIMSC, UARTRIS, UARTMIS and UARTICR (TRM 3.3.10-3.3.13).
    static final int INT_RI = 1 << 0;
    static final int INT_CTS = 1 << 1;
    static final int INT_DCD = 1 << 2;
    static final int INT_DSR = 1 << 3;
    static final int INT_RX = 1 << 4;
    static final int INT_TX = 1 << 5;
    static final int INT_RT = 1 << 6;
    static final int INT_FE = 1 << 7;
    static final int INT_PE = 1 << 8;
    static final int INT_BE = 1 << 9;
    static final int INT_OE = 1 << 10;
    static final int INT_MASK = 0x7FF;

    // Widths of the plain storage registers.
    static final int ILPR_MASK = 0xFF;
    static final int IBRD_MASK = 0xFFFF;
    static final int FBRD_MASK = 0x3F;
    static final int IFLS_MASK = 0x3F;
    static final int IFLS_RESET = 0x12;
    static final int DMACR_MASK = 0x7;

    /** The register's TRM name, for guest-error reports. */
    static String nameOf(int offset) {
        return switch (offset) {
            case DR -> "DR";
            case RSR_ECR -> "RSR/ECR";
            case FR -> "FR";
            case ILPR -> "ILPR";
            case IBRD -> "IBRD";
            case FBRD -> "FBRD";
            case LCR_H -> "LCR_H";
            case CR -> "CR";
            case IFLS -> "IFLS";
            case IMSC -> "IMSC";
            case RIS -> "RIS";
            case MIS -> "MIS";
            case ICR -> "ICR";
            case DMACR -> "DMACR";
            default -> offset >= PERIPH_ID0 && offset <= CELL_ID3
                    ? (offset < 0xFF0 ? "PeriphID" : "PCellID") + ((offset >> 2) & 3)
                    : String.format("0x%03x", offset);
        };
    }
}
