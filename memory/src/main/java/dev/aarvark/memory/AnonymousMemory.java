package dev.aarvark.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Page-aligned, zero-filled host memory from an anonymous private {@code mmap} (with
 * {@code MAP_NORESERVE}), as QEMU allocates guest RAM: pages are committed only when first touched,
 * so a 512 MiB guest that uses 60 MiB costs 60 MiB of host memory, and start-up does not zero the
 * whole bank. The mapping is released ({@code munmap}) when the owning arena closes.
 */
public final class AnonymousMemory {
    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_NORESERVE = 0x4000;
    private static final MethodHandle MMAP;
    private static final MethodHandle MUNMAP;

    static {
        Linker linker = Linker.nativeLinker();
        MMAP = linker.downcallHandle(linker.defaultLookup().find("mmap").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
        MUNMAP = linker.downcallHandle(linker.defaultLookup().find("munmap").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    }

    private AnonymousMemory() {}

    /**
     * Maps {@code size} bytes (a multiple of 4 KiB) owned by {@code arena}.
     *
     * @throws OutOfMemoryError with the size in the message if the host refuses the mapping
     */
    public static MemorySegment map(Arena arena, long size) {
        MemorySegment addr;
        try {
            addr = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("mmap failed", t);
        }
        if (addr.address() == -1L || addr.address() == 0) {
            throw new OutOfMemoryError("the host refused to map 0x" + Long.toHexString(size) + " bytes of guest RAM");
        }
        long base = addr.address();
        return addr.reinterpret(size, arena, seg -> {
            try {
                int ignored = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(base), size);
            } catch (Throwable t) {
                // Nothing useful to do while closing an arena.
            }
        });
    }
}
