package dev.aarvark.emulator.boot;

/**
 * One ELF-64 program header ({@code Elf64_Phdr}, ELF-64 gABI "Program Header"), with its index in
 * the program header table so errors can name it.
 */
record ElfProgramHeader(int index, int type, int flags, long offset, long vaddr, long paddr,
                               long filesz, long memsz, long align) {
    /** {@code PT_LOAD}. */
    public static final int PT_LOAD = 1;
    /** {@code PF_X}: executable. */
    public static final int PF_X = 1;
    /** {@code PF_W}: writable. */
    public static final int PF_W = 2;
    /** {@code PF_R}: readable. */
    public static final int PF_R = 4;

    public boolean isLoad() {
        return type == PT_LOAD;
    }

    public boolean executable() {
        return (flags & PF_X) != 0;
    }

    /** The physical bytes the segment occupies once loaded: {@code [p_paddr, p_paddr + p_memsz)}. */
    public PhysicalRange physicalRange() {
        return new PhysicalRange(paddr, paddr + memsz);
    }

    /** True if virtual address {@code va} lies in the file-backed part {@code [p_vaddr, p_vaddr + p_filesz)}. */
    public boolean coversVirtual(long va) {
        return Long.compareUnsigned(va, vaddr) >= 0 && Long.compareUnsigned(va - vaddr, filesz) < 0;
    }

    /** True if physical address {@code pa} lies in the file-backed part {@code [p_paddr, p_paddr + p_filesz)}. */
    public boolean coversPhysical(long pa) {
        return Long.compareUnsigned(pa, paddr) >= 0 && Long.compareUnsigned(pa - paddr, filesz) < 0;
    }
}
