package dev.aarvark.devices;

/**
 * The access rules of an AMBA APB register block of 32-bit registers, as the ARM PrimeCell
 * peripherals (PL011, PL031) have: byte, halfword and word accesses, naturally aligned, inside
 * the block. Anything else is a guest error, reported here as the same {@link RegisterError}
 * kinds every such device uses.
 */
public final class RegisterAccess {
    private RegisterAccess() {}

    /**
     * True if a {@code size}-byte {@code kind} ("read" or "write") at {@code offset} is a valid
     * access to a block of {@code blockSize} bytes; otherwise reports the guest error for
     * {@code device} to {@code errors} and returns false.
     */
    public static boolean check(GuestErrorLog errors, String device, String kind, long offset, int size, long blockSize) {
        if (offset < 0 || offset >= blockSize) {
            errors.report(device, kind.equals("read") ? RegisterError.READ_UNKNOWN : RegisterError.WRITE_UNKNOWN,
                    String.format("offset 0x%x is outside the register block", offset));
            return false;
        }
        if ((size != 1 && size != 2 && size != 4) || (offset & (size - 1)) != 0) {
            errors.report(device, RegisterError.BAD_WIDTH, String.format("%d-byte %s at offset 0x%03x", size, kind, offset));
            return false;
        }
        return true;
    }

    /** The mask of a {@code size}-byte value (size 1, 2 or 4). */
    public static long widthMask(int size) {
        return size == 4 ? 0xFFFF_FFFFL : (1L << (8 * size)) - 1;
    }
}
