package dev.aarvark.emulator.cpu.sysreg;

import dev.aarvark.emulator.cpu.SysReg;

import java.util.HashMap;
import java.util.Map;

/**
 * The system registers aarvark emulates, by encoding, and how each is reached.
 *
 * <p>Two paths, one table (UNICORN-FINDINGS.md Q5):
 * <ul>
 *   <li>{@link Path#UNDEF_TRAP} — registers libunicorn does not implement (the GICv3 ICC_*
 *   registers): the access UNDEFs, the CPU core decodes the MRS/MSR, calls the handler and steps
 *   over the instruction. The MRS/MSR hook must never "skip" these (it loops forever).</li>
 *   <li>{@link Path#INSN_HOOK} — registers libunicorn implements but gets wrong (the timer
 *   CTL/CVAL/TVAL, whose native writes are discarded): the MRS/MSR hook emulates them and skips
 *   the native access.</li>
 * </ul>
 */
public final class SystemRegisterTable {
    /** How an emulated register is reached. */
    public enum Path { UNDEF_TRAP, INSN_HOOK }

    /** One table row. */
    public record Entry(SysReg reg, Path path, EmulatedRegister handler) {
    }

    private final Map<Integer, Entry> entries = new HashMap<>();

    /** Adds a register; a second registration of the same encoding is a programming error. */
    public void register(SysReg reg, Path path, EmulatedRegister handler) {
        Entry prev = entries.putIfAbsent(reg.key(), new Entry(reg, path, handler));
        if (prev != null) {
            throw new IllegalStateException("system register " + reg + " registered twice");
        }
    }

    /** The row for a packed encoding ({@link SysReg#key}), or null. */
    public Entry lookup(int key) {
        return entries.get(key);
    }

    /** True if any register uses {@code path} (the MRS/MSR hook is installed only if needed). */
    public boolean uses(Path path) {
        for (Entry e : entries.values()) {
            if (e.path() == path) {
                return true;
            }
        }
        return false;
    }
}
