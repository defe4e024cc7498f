package dev.aarvark.devices.uart;

/**
 * The interrupt trigger points selected by UARTIFLS (TRM 3.3.9): RXIFLSEL (bits 5:3) asserts the
 * receive interrupt when the receive FIFO becomes at least 1/8, 1/4, 1/2, 3/4 or 7/8 full;
 * TXIFLSEL (bits 2:0) asserts the transmit interrupt when the transmit FIFO becomes at most that
 * full. Encodings 0b101-0b111 are reserved; they are reported as guest errors and behave as the
 * reset encoding 0b010 (1/2).
 *
 * <p>With the FIFOs disabled (LCR_H.FEN = 0) each FIFO is a single holding register (TRM chapter 2,
 * "UART operation"): the receive interrupt triggers on one character, the transmit interrupt when
 * the holding register is empty.
 */
final class FifoLevels {
    private static final int[] EIGHTHS = {1, 2, 4, 6, 7};
    private static final int RESET_SELECT = 2;

    private FifoLevels() {}

    /** True if either field of an IFLS value uses a reserved encoding. */
    static boolean isReserved(int ifls) {
        return (ifls & 7) >= EIGHTHS.length || ((ifls >> 3) & 7) >= EIGHTHS.length;
    }

    /** How many received characters raise RXRIS: 2, 4, 8, 12 or 14 of 16, or 1 without FIFOs. */
    static int rxTrigger(int ifls, boolean fifoEnabled, int depth) {
        return fifoEnabled ? depth * eighths((ifls >> 3) & 7) / 8 : 1;
    }

    /** The transmit level: TXRIS is due when the transmit FIFO holds this many or fewer. */
    static int txLevel(int ifls, boolean fifoEnabled, int depth) {
        return fifoEnabled ? depth * eighths(ifls & 7) / 8 : 0;
    }

    private static int eighths(int select) {
        return EIGHTHS[select < EIGHTHS.length ? select : RESET_SELECT];
    }
}
