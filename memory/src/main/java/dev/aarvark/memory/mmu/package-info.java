/**
 * The VMSAv8-64 stage-1 translation table walker of the EL1&amp;0 translation regime (Arm ARM, DDI 0487,
 * chapter D5 "The AArch64 Virtual Memory System Architecture"; chapter D8 in later issues).
 *
 * <p>The model is an Armv8.0-A CPU (Cortex-A53/A57/A72): 4 KB, 16 KB and 64 KB granules, 48-bit
 * virtual and at most 48-bit physical addresses, no FEAT_LVA/LPA/TTST/HPDS/PAN/HAFDBS. The walker
 * ({@link dev.aarvark.memory.mmu.Vmsav8Walker}) is stateless and never writes guest memory. It serves
 * three clients: syndrome construction for aborts that the CPU core reports without ESR/FAR, the
 * translation of guest virtual ranges for watches, and the SMMUv3's stage-1 walks.
 *
 * <p>Where the architecture leaves a choice to the implementation, this package chooses what the CPU
 * core it runs beside (Unicorn 2, whose MMU is QEMU 5.0's) does, so that a re-walk of a fault the core
 * reported finds the same fault: reserved TG0/TG1 values (see {@link
 * dev.aarvark.memory.mmu.TranslationGranule}) and out-of-range TxSZ values (clamped, see {@link
 * dev.aarvark.memory.mmu.Vmsav8Walker}).
 */
package dev.aarvark.memory.mmu;
