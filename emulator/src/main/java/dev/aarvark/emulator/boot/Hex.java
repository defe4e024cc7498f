package dev.aarvark.emulator.boot;

/** Formats numbers the way boot messages show them: {@code 0x} and unsigned lower-case hex. */
final class Hex {
    private Hex() {
    }

    static String of(long value) {
        return "0x" + Long.toHexString(value);
    }

    static String range(long start, long end) {
        return "[" + of(start) + ", " + of(end) + ")";
    }
}
