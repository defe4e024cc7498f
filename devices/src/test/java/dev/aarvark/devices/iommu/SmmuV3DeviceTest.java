package dev.aarvark.devices.iommu;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.IommuError;
import dev.aarvark.devices.RegisterError;
import dev.aarvark.devices.testkit.RecordingIrqLine;
import dev.aarvark.iommu.smmuv3.SmmuInterrupt;
import dev.aarvark.iommu.smmuv3.SmmuV3;
import dev.aarvark.memory.GuestRam;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The SMMU on the board: its interrupts are edges on their own lines and its mistakes are guest errors. */
class SmmuV3DeviceTest {
    @Test
    void eachInterruptIsAnEdgeOnItsOwnLineAndMistakesAreGuestErrorsOfTheSmmu() {
        try (Arena a = Arena.ofConfined()) {
            GuestRam ram = GuestRam.allocate(a, 0x4000_0000L, 1 << 20);
            RecordingIrqLine gerror = new RecordingIrqLine();
            RecordingIrqLine sync = new RecordingIrqLine();
            GuestErrorLog errors = new GuestErrorLog();
            SmmuV3Device d = new SmmuV3Device(ram, Map.of(SmmuInterrupt.GERROR, gerror, SmmuInterrupt.CMDQ_SYNC, sync), errors);
            assertEquals(SmmuV3.SIZE, d.size());
            d.write(SmmuV3.IRQ_CTRL, 4, SmmuV3.IRQ_CTRL_GERROR_IRQEN);
            d.write(SmmuV3.CMDQ_BASE, 8, 0x4000_0000L | 2);
            ram.writeLong(0x4000_0000L, SmmuV3.CMD_SYNC | 1 << 12);    // CS = SIG_IRQ
            ram.writeLong(0x4000_0010L, 0xff);                          // not a command
            d.write(SmmuV3.CR0, 4, SmmuV3.CR0_CMDQEN);
            d.write(SmmuV3.CMDQ_PROD, 4, 2);
            assertEquals(java.util.List.of(true, false), sync.levels(), "CMD_SYNC: one edge on the cmdq-sync line");
            assertEquals(java.util.List.of(true, false), gerror.levels(), "CERROR_ILL: one edge on the gerror line");
            assertEquals(1, errors.count(SmmuV3Device.NAME, IommuError.ILLEGAL_COMMAND));
            d.write(SmmuV3.IDR0, 4, 0);
            assertEquals(1, errors.count(SmmuV3Device.NAME, RegisterError.WRITE_READ_ONLY));
        }
    }
}
