package dev.aarvark.devices.uart;

import dev.aarvark.devices.RegisterError;
import static dev.aarvark.devices.uart.Pl011Registers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Pl011RegisterTest {
    private final Pl011Harness h = new Pl011Harness();

    @Test
    void resetValuesMatchTheTrm() {
        assertEquals(0x300, h.read(CR), "CR: TXE and RXE set, UARTEN clear");
        assertEquals(0x12, h.read(IFLS), "IFLS: both levels 1/2");
        assertEquals(FR_TXFE | FR_RXFE, h.read(FR), "FR: FIFOs empty, modem inputs deasserted");
        assertEquals(0, h.read(LCR_H));
        assertEquals(0, h.read(IMSC));
        assertEquals(0, h.read(RIS));
        assertEquals(0, h.read(MIS));
        assertEquals(0, h.read(RSR_ECR));
        assertEquals(0, h.read(IBRD));
        assertEquals(0, h.read(FBRD));
        assertEquals(0, h.read(ILPR));
        assertEquals(0, h.read(DMACR));
        assertEquals(0x1000, h.uart.size());
    }

    @Test
    void storageRegistersKeepOnlyTheirDefinedBits() {
        h.write(IBRD, 0xFFFF_FFFF);
        h.write(FBRD, 0xFFFF_FFFF);
        h.write(ILPR, 0xFFFF_FFFF);
        h.write(LCR_H, 0xFFFF_FFFF);
        h.write(DMACR, 0xFFFF_FFFF);
        h.write(IMSC, 0xFFFF_FFFF);
        assertEquals(0xFFFF, h.read(IBRD), "IBRD is 16 bits");
        assertEquals(0x3F, h.read(FBRD), "FBRD is 6 bits");
        assertEquals(0xFF, h.read(ILPR));
        assertEquals(0xFF, h.read(LCR_H));
        assertEquals(0x7, h.read(DMACR));
        assertEquals(0x7FF, h.read(IMSC));
    }

    @Test
    void controlRegisterDropsReservedBits6To3() {
        h.write(CR, 0xFFFF_FFFF);
        assertEquals(0xFF87, h.read(CR));
    }

    @Test
    void linuxBaudRateWritesReadBackAsWritten() {
        // amba-pl011 at 115200 baud from a 24 MHz clock: divisor 13.02 -> IBRD 13, FBRD 1.
        h.write(FBRD, 1);
        h.write(IBRD, 13);
        h.write(LCR_H, 0x70);
        assertEquals(13, h.read(IBRD));
        assertEquals(1, h.read(FBRD));
        assertEquals(0x70, h.read(LCR_H));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x008, 0x00C, 0x010, 0x014, 0x01C, 0x04C, 0x080, 0x08C, 0xFD0, 0xFDC})
    void readOfUnknownOffsetIsAGuestErrorAndReadsZero(int offset) {
        long before = h.errors(RegisterError.READ_UNKNOWN);
        assertEquals(0, h.read(offset));
        assertEquals(before + 1, h.errors(RegisterError.READ_UNKNOWN));
    }

    @ParameterizedTest
    @ValueSource(ints = {0x008, 0x01C, 0x04C, 0x080, 0xFD0})
    void writeToUnknownOffsetIsAGuestErrorAndHasNoEffect(int offset) {
        long before = h.errors(RegisterError.WRITE_UNKNOWN);
        h.write(offset, 0x41);
        assertEquals(before + 1, h.errors(RegisterError.WRITE_UNKNOWN));
        assertEquals("", h.sent());
        assertEquals(FR_TXFE | FR_RXFE, h.read(FR));
    }

    @ParameterizedTest
    @ValueSource(ints = {FR, RIS, MIS})
    void writeToReadOnlyRegisterIsAGuestError(int offset) {
        long before = h.errors(RegisterError.WRITE_READ_ONLY);
        h.write(offset, 0x7FF);
        assertEquals(before + 1, h.errors(RegisterError.WRITE_READ_ONLY));
        assertEquals(0, h.read(RIS));
        assertEquals(FR_TXFE | FR_RXFE, h.read(FR));
    }

    @Test
    void readOfWriteOnlyInterruptClearIsAGuestErrorAndReadsZero() {
        long before = h.errors(RegisterError.READ_WRITE_ONLY);
        assertEquals(0, h.read(ICR));
        assertEquals(before + 1, h.errors(RegisterError.READ_WRITE_ONLY));
    }

    @Test
    void eightByteAndMisalignedAccessesAreGuestErrors() {
        long before = h.errors(RegisterError.BAD_WIDTH);
        assertEquals(0, h.uart.read(FR, 8));
        assertEquals(0, h.uart.read(FR + 2, 4));
        h.uart.write(DR + 1, 2, 0x41);
        assertEquals(before + 3, h.errors(RegisterError.BAD_WIDTH));
        assertEquals("", h.sent());
    }

    @Test
    void narrowReadsReturnTheAddressedByteLane() {
        h.write(IBRD, 0xBEEF);
        assertEquals(0xEF, h.uart.read(IBRD, 1));
        assertEquals(0xBE, h.uart.read(IBRD + 1, 1));
        assertEquals(0xBEEF, h.uart.read(IBRD, 2));
        assertEquals(0, h.uart.read(IBRD + 2, 2));
    }

    @Test
    void narrowWriteAtLaneZeroWritesTheWholeRegisterZeroExtended() {
        h.write(IBRD, 0xBEEF);
        h.uart.write(IBRD, 1, 0x12);
        assertEquals(0x12, h.read(IBRD));
    }

    @Test
    void narrowWriteToAnUpperByteLaneIsAGuestErrorAndIgnored() {
        long before = h.errors(RegisterError.PARTIAL_WRITE);
        h.uart.write(CR + 1, 1, 0x00);
        assertEquals(before + 1, h.errors(RegisterError.PARTIAL_WRITE));
        assertEquals(0x300, h.read(CR));
    }

    @Test
    void reservedFifoLevelEncodingIsAGuestErrorButStored() {
        long before = h.errors(RegisterError.RESERVED_VALUE);
        h.write(IFLS, 0x3F);
        assertEquals(before + 1, h.errors(RegisterError.RESERVED_VALUE));
        assertEquals(0x3F, h.read(IFLS));
        h.write(IFLS, 0x24);
        assertEquals(before + 1, h.errors(RegisterError.RESERVED_VALUE), "7/8 and 1/8 are valid");
    }

    @Test
    void errorClearWriteOfAnyValueClearsReceiveStatus() {
        h.write(CR, CR_UARTEN | CR_TXE | CR_RXE | CR_LBE);
        h.send("ab"); // FEN = 0: depth 1, the second character overruns
        assertEquals(0x8, h.read(RSR_ECR) & 0x8);
        h.write(RSR_ECR, 0);
        assertEquals(0, h.read(RSR_ECR));
    }

    @Test
    void countersCountCharactersMovedInEachDirection() {
        h.read(FR);
        h.write(DR, 'x');
        assertEquals(1, h.uart.bytesTransmitted());
        h.offer("yz");
        assertEquals(1, h.uart.bytesReceived(), "FIFOs off: one entry");
        assertEquals("pl011-test", h.uart.name());
    }
}
