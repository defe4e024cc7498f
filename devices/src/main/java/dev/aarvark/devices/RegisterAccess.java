package dev.aarvark.devices;

/**
 * The access rules of an AMBA APB register block of 32-bit registers, as the ARM PrimeCell
 * peripherals (PL011, PL031) have: byte, halfword and word accesses, naturally aligned, inside
 * the block. Anything else is a guest error, reported once here under stable names so that every
 * such device counts and words its errors the same way.
 */
public final class RegisterAccess {
    /** Guest error: a read of an offset outside the block. */
    public static final String ERR_READ_UNKNOWN = "read of unknown offset";
    /** Guest error: a write to an offset outside the block. */
    public static final String ERR_WRITE_UNKNOWN = "write to unknown offset";
    /** Guest error: an access of an unsupported width, or misaligned. */
    public static final String ERR_ACCESS = "unsupported access width or alignment";

    private RegisterAccess() {}

    /**
     * True if a {@code size}-byte {@code kind} ("read" or "write") at {@code offset} is a valid
     * access to a block of {@code blockSize} bytes; otherwise reports the guest error for
     * {@code device} and returns false.
     */
    public static boolean check(String device, String kind, long offset, int size, long blockSize) {
        if (offset < 0 || offset >= blockSize) {
            GuestErrors.report(device, kind.equals("read") ? ERR_READ_UNKNOWN : ERR_WRITE_UNKNOWN,
                    String.format("offset 0x%x is outside the register block", offset));
            return false;
        }
        if ((size != 1 && size != 2 && size != 4) || (offset & (size - 1)) != 0) {
            GuestErrors.report(device, ERR_ACCESS, String.format("%d-byte %s at offset 0x%03x", size, kind, offset));
            return false;
        }
        return true;
    }

    /** The mask of a {@code size}-byte value (size 1, 2 or 4). */
    public static long widthMask(int size) {
        return size == 4 ? 0xFFFF_FFFFL : (1L << (8 * size)) - 1;
    }
}
