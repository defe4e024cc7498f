package dev.aarvark.emulator.cpu.decode;

import java.util.HashMap;
import java.util.Map;

/** A register file for tests: only the registers a test sets may be read; any other read fails the test. */
final class TestRegisters implements RegisterReader {
    private final Map<Integer, Long> x = new HashMap<>();
    private Long sp;

    TestRegisters x(int n, long value) {
        if (n < 0 || n > 30) {
            throw new IllegalArgumentException("X" + n);
        }
        x.put(n, value);
        return this;
    }

    TestRegisters sp(long value) {
        sp = value;
        return this;
    }

    @Override
    public long x(int n) {
        Long value = x.get(n);
        if (value == null) {
            throw new AssertionError("decoder read X" + n + ", which the test did not set");
        }
        return value;
    }

    @Override
    public long sp() {
        if (sp == null) {
            throw new AssertionError("decoder read SP, which the test did not set");
        }
        return sp;
    }
}
