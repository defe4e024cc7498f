/**
 * Decoding of A64 instructions for the parts of the CPU that Unicorn leaves to Java.
 *
 * <p>Unicorn reports a data abort only as "exception 4 at this PC"; it fills neither ESR_EL1 nor
 * FAR_EL1. {@link dev.aarvark.emulator.cpu.decode.LoadStoreDecoder} turns the faulting instruction
 * and the register file into a {@link dev.aarvark.emulator.cpu.decode.DataAccess}: the address the
 * architecture reports in FAR, the bytes touched, the direction (the ISS WnR bit), whether it is a
 * cache maintenance instruction (the ISS CM bit) and the alignment the architecture demands.
 * {@link dev.aarvark.emulator.cpu.decode.SystemInsn} classifies the System instruction class
 * (MRS/MSR, SYS/SYSL, hints, barriers) and exception-generating instructions, for the UNDEF trap
 * table (GICv3 ICC_* registers), PSCI and semihosting; {@link
 * dev.aarvark.emulator.cpu.decode.SystemAccessSyndrome} builds the EC 0x18 syndrome.
 *
 * <p>References are to the Arm Architecture Reference Manual for A-profile (DDI 0487): section C4.1
 * "A64 instruction set encoding" and its "Loads and Stores", "Branches, Exception Generating and
 * System instructions" groups; section D17/D19 (by version) for ESR_ELx and FAR_ELx.
 */
package dev.aarvark.emulator.cpu.decode;
