package dev.aarvark.emulator.cpu.unicorn;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Which instructions of one MRS, MSR or SYS hook reach Java, and which are only counted: the
 * configuration of aarvark's native pre-filter (emulator/src/main/c/sys-insn-filter.c) for
 * {@link Unicorn#addSysInsnHook}. Keys are 16-bit system-register / system-instruction encodings,
 * {@code op0 << 14 | op1 << 11 | CRn << 7 | CRm << 3 | op2} (Arm ARM C5.1, "The A64 system
 * instruction class").
 *
 * <p>With the native filter (the pinned libunicorn build with the helper built by
 * scripts/setup-native.sh) the test runs in C and the instructions that neither pass nor count
 * never leave libunicorn; without it every instruction reaches Java, which applies the same sets, so
 * the hook sees the same instructions and {@link #counted()} the same figure either way.
 *
 * <p>Configure with {@link #pass} and {@link #count} before the hook is installed; the sets are
 * fixed from then on. {@link #counted()} is read on the vCPU thread, the only one that updates it.
 */
public final class SysInsnFilter {
    private static final int KEYS = 1 << 16;
    /** Byte offsets in the native struct: upcall, counted, pass[1024], count[1024]. */
    private static final long COUNTED = 8, PASS = 16, COUNT = PASS + KEYS / 8, SIZE = COUNT + KEYS / 8;

    private final BitSet pass = new BitSet(KEYS);
    private final BitSet count = new BitSet(KEYS);
    private MemorySegment nativeFilter;
    private long javaCounted;
    private boolean installed;

    /** Lets instructions with {@code key} reach the Java hook. */
    public SysInsnFilter pass(int key) {
        requireConfigurable();
        pass.set(checkKey(key));
        return this;
    }

    /** Counts instructions with {@code key} (they reach Java only if they also {@link #pass}). */
    public SysInsnFilter count(int key) {
        requireConfigurable();
        count.set(checkKey(key));
        return this;
    }

    /** Instructions seen so far whose key is counted. */
    public long counted() {
        return nativeFilter != null ? nativeFilter.get(JAVA_LONG, COUNTED) : javaCounted;
    }

    /** The Java-side test, when no native filter runs: counts, then says whether the key passes. */
    boolean admit(int key) {
        if (count.get(key)) {
            javaCounted++;
        }
        return pass.get(key);
    }

    /** The native filter's user data, holding {@code upcall}; allocated in {@code arena}. */
    MemorySegment toNative(MemorySegment upcall, Arena arena) {
        installed = true;
        MemorySegment s = arena.allocate(SIZE, 8);
        s.set(ADDRESS, 0, upcall);
        s.set(JAVA_LONG, COUNTED, 0);
        long[] p = pass.toLongArray();
        long[] c = count.toLongArray();
        for (int i = 0; i < KEYS / 64; i++) {
            s.set(JAVA_LONG, PASS + 8L * i, i < p.length ? p[i] : 0);
            s.set(JAVA_LONG, COUNT + 8L * i, i < c.length ? c[i] : 0);
        }
        nativeFilter = s;
        return s;
    }

    /** Marks the filter in use by a Java-side hook. */
    void installedInJava() {
        installed = true;
    }

    private void requireConfigurable() {
        if (installed) {
            throw new IllegalStateException("the filter's hook is installed: its key sets are fixed");
        }
    }

    private static int checkKey(int key) {
        if (key < 0 || key >= KEYS) {
            throw new IllegalArgumentException("not a 16-bit system-instruction key: " + key);
        }
        return key;
    }
}
