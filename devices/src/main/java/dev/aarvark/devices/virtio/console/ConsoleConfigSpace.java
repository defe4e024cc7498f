package dev.aarvark.devices.virtio.console;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.RegisterError;

import java.util.function.IntConsumer;

/**
 * The console's configuration space (virtio 1.2 §5.3.4), as {@code struct virtio_console_config}
 * (Linux's uapi and QEMU layout): le16 cols, le16 rows, le32 max_nr_ports, le32 emerg_wr; 12 bytes.
 * cols and rows read 0, as QEMU reports them (VIRTIO_CONSOLE_F_SIZE is not offered); max_nr_ports
 * is the device's port count; emerg_wr reads 0. A write to emerg_wr's low byte lane (offset 8, any
 * width) emits its lower byte (§5.3.5.1: "The device MUST allow a write to emerg_wr, even on an
 * unconfigured device"); writes to its upper bytes alone carry no character and are ignored, as
 * QEMU does; a write to any other field is a guest error. The legacy interface uses the guest's
 * native endianness (§5.3.4.1), which on AArch64 is little-endian too.
 */
final class ConsoleConfigSpace {
    static final int COLS = 0;
    static final int ROWS = 2;
    static final int MAX_NR_PORTS = 4;
    static final int EMERG_WR = 8;
    static final int SIZE = 12;

    private final String device;
    private final int maxPorts;
    private final IntConsumer emergencyWrite;
    private final GuestErrorLog errors;

    ConsoleConfigSpace(String device, int maxPorts, IntConsumer emergencyWrite, GuestErrorLog errors) {
        this.errors = errors;
        this.device = device;
        this.maxPorts = maxPorts;
        this.emergencyWrite = emergencyWrite;
    }

    int read(int offset, int size) {
        int value = 0;
        for (int i = size - 1; i >= 0; i--) {
            value = value << 8 | byteAt(offset + i);
        }
        return value;
    }

    private int byteAt(int offset) {
        if (offset >= MAX_NR_PORTS && offset < EMERG_WR) {
            return (maxPorts >>> (8 * (offset - MAX_NR_PORTS))) & 0xFF;
        }
        return 0;
    }

    void write(int offset, int size, int value) {
        if (offset == EMERG_WR) {
            emergencyWrite.accept(value & 0xFF);
            return;
        }
        if (offset > EMERG_WR) {
            // The upper bytes of emerg_wr: a driver writing the field byte by byte (Linux's legacy
            // vm_set does) sends them after the character. Only the lower byte carries one (§5.3.5.1).
            return;
        }
        errors.report(device, RegisterError.WRITE_READ_ONLY,
                String.format("%d-byte write of 0x%x at configuration offset 0x%x ignored", size, value, offset));
    }
}
