package dev.aarvark.devices.virtio.mmio;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.RegisterError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EmptyVirtioMmioSlotTest {
    private final GuestErrorLog guestErrors = new GuestErrorLog();

    @Test
    void identifiesAsAModernTransportWithNoDevice() {
        EmptyVirtioMmioSlot slot = new EmptyVirtioMmioSlot("virtio-empty", guestErrors);
        assertEquals(0x74726976L, slot.read(0x000, 4), "MagicValue 'virt'");
        assertEquals(2, slot.read(0x004, 4), "Version 2");
        assertEquals(0, slot.read(0x008, 4), "DeviceID 0: no device, the driver ignores the slot");
        assertEquals(0x554D4551L, slot.read(0x00C, 4), "VendorID 'QEMU'");
        assertEquals(0, slot.read(0x070, 4), "Status");
        assertEquals(0x200, slot.size());
    }

    @Test
    void writesOtherThanAStatusResetAreGuestErrors() {
        EmptyVirtioMmioSlot slot = new EmptyVirtioMmioSlot("virtio-empty", guestErrors);
        slot.write(0x070, 4, 0);
        assertEquals(0, guestErrors.count("virtio-empty", RegisterError.EMPTY_SLOT_WRITE));
        slot.write(0x070, 4, 1);
        assertEquals(1, guestErrors.count("virtio-empty", RegisterError.EMPTY_SLOT_WRITE));
    }
}
