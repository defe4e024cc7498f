package dev.aarvark.emulator.cpu.sysreg;

import dev.aarvark.emulator.cpu.SysReg;


/**
 * The system registers aarvark emulates, by encoding, and how each is reached.
 *
 * <p>Two paths, one table (docs/libunicorn.md, "System-register hooks"):
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

    /** Rows by packed key (16 bits): a flat array, so a lookup neither boxes nor hashes. */
    private final Entry[] entries = new Entry[1 << 16];

    /** Adds a register; a second registration of the same encoding is a programming error. */
    public void register(SysReg reg, Path path, EmulatedRegister handler) {
        if (entries[reg.key()] != null) {
            throw new IllegalStateException("system register " + reg + " registered twice");
        }
        entries[reg.key()] = new Entry(reg, path, handler);
    }

    /** The row for a packed encoding ({@link SysReg#key}), or null. */
    public Entry lookup(int key) {
        return entries[key & 0xffff];
    }

    /** The packed keys ({@link SysReg#key}) of the registers reached by {@code path}. */
    public int[] keys(Path path) {
        return java.util.stream.IntStream.range(0, entries.length)
                .filter(k -> entries[k] != null && entries[k].path() == path).toArray();
    }

    /** True if any register uses {@code path} (the MRS/MSR hook is installed only if needed). */
    public boolean uses(Path path) {
        for (Entry e : entries) {
            if (e != null && e.path() == path) {
                return true;
            }
        }
        return false;
    }
}
