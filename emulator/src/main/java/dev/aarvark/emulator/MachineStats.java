package dev.aarvark.emulator;

import dev.aarvark.emulator.cpu.SyncExceptionHandler;

import java.util.Map;

/**
 * Where a run's work and time went, for the boot benchmark's breakdown: exceptions by class, MMIO
 * accesses by device, emulated system-register accesses, slices, interrupts raised, and time inside
 * {@code uc_emu_start} (guest code plus callbacks), inside Java callbacks (only when profiling was
 * on), between slices and idle, and the instruction-cache maintenance (IC IVAU lines; IC IALLU(IS)
 * operations, how many of them dropped only the pages known to be changed, and the 64-byte lines
 * they dropped in all).
 */
public record MachineStats(Map<SyncExceptionHandler.Counter, Long> exceptions, Map<String, long[]> mmio,
                           long sysregHookAccesses, long slices, long idleWaits, long irqsRaised,
                           long inEngineNanos, long callbackNanos, long callbacks, long betweenSlicesNanos,
                           long icacheLineInvalidations, long icacheAllInvalidations, long icacheNarrowedAll,
                           long icacheLinesDropped) {
}
