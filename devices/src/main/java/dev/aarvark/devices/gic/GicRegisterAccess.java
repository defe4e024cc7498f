package dev.aarvark.devices.gic;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.RegisterAccess;
import dev.aarvark.devices.RegisterError;

/**
 * The access checks of the GIC's memory-mapped register blocks, reported as the same
 * {@link RegisterError} kinds as every other device ({@link RegisterAccess}). Unlike the APB rule, the GIC
 * permits what its specifications permit: 32-bit accesses to every register, byte accesses only
 * to the byte-accessible ones (priority, target and SGI pending bytes), 64-bit accesses only to
 * 64-bit registers (IHI 0048B §4.1, "GIC register access"; IHI 0069 §12.1.3, "GIC memory-mapped register access") — each front end says which. An access
 * outside the rules is a guest error and reads as 0 / is ignored.
 */
final class GicRegisterAccess {
    private GicRegisterAccess() {}

    /**
     * True if the access is inside the block, naturally aligned and of a width the register
     * allows; otherwise reports the guest error and returns false.
     */
    static boolean check(GuestErrorLog errors, String device, boolean read, long offset, int size, long blockSize,
                         boolean widthAllowed) {
        String kind = read ? "read" : "write";
        if (offset < 0 || offset + Math.max(size, 1) > blockSize) {
            errors.report(device, read ? RegisterError.READ_UNKNOWN : RegisterError.WRITE_UNKNOWN,
                    String.format("offset 0x%x is outside the register block", offset));
            return false;
        }
        if (!widthAllowed || (size != 1 && size != 2 && size != 4 && size != 8) || (offset & (size - 1)) != 0) {
            errors.report(device, RegisterError.BAD_WIDTH, String.format("%d-byte %s at offset 0x%04x", size, kind, offset));
            return false;
        }
        return true;
    }

    /** Reports a read of an offset where no register is (the read returns 0). */
    static void reservedRead(GuestErrorLog errors, String device, long offset) {
        errors.report(device, RegisterError.READ_UNKNOWN, String.format("offset 0x%04x is reserved", offset));
    }

    /** Reports a write to an offset where no register is (the write is ignored). */
    static void reservedWrite(GuestErrorLog errors, String device, long offset, long value) {
        errors.report(device, RegisterError.WRITE_UNKNOWN,
                String.format("offset 0x%04x is reserved; 0x%x ignored", offset, value));
    }

    /** Reports a write to a read-only register (the write is ignored). */
    static void readOnly(GuestErrorLog errors, String device, String register, long value) {
        errors.report(device, RegisterError.WRITE_READ_ONLY, String.format("%s <- 0x%x ignored", register, value));
    }

    /** Reports a read of a write-only register (the read returns 0). */
    static void writeOnly(GuestErrorLog errors, String device, String register) {
        errors.report(device, RegisterError.READ_WRITE_ONLY, "read of " + register + " returns 0");
    }
}
