package dev.aarvark.emulator.cpu.decode;

/** Assembles a {@link DataAccess} step by step so the decoders name only what differs from a plain access. */
final class AccessBuilder {
    private final String mnemonic;
    private final long address;
    private final int size;
    private long accessStart;
    private boolean read;
    private boolean write;
    private int alignment = 1;
    private boolean cacheMaintenance;
    private boolean exclusive;
    private boolean acquireRelease;
    private boolean atomic;
    private boolean unprivileged;
    private boolean simd;
    private boolean prefetch;

    private AccessBuilder(String mnemonic, long address, int size) {
        this.mnemonic = mnemonic;
        this.address = address;
        this.accessStart = address;
        this.size = size;
    }

    static AccessBuilder load(String mnemonic, long address, int size) {
        AccessBuilder b = new AccessBuilder(mnemonic, address, size);
        b.read = true;
        return b;
    }

    static AccessBuilder store(String mnemonic, long address, int size) {
        AccessBuilder b = new AccessBuilder(mnemonic, address, size);
        b.write = true;
        return b;
    }

    static AccessBuilder transfer(boolean load, String mnemonic, long address, int size) {
        return load ? load(mnemonic, address, size) : store(mnemonic, address, size);
    }

    /** A read-modify-write atomic: reads and writes, naturally aligned to {@code size}. */
    static AccessBuilder readModifyWrite(String mnemonic, long address, int size) {
        AccessBuilder b = new AccessBuilder(mnemonic, address, size);
        b.read = true;
        b.write = true;
        b.atomic = true;
        b.alignment = size;
        return b;
    }

    static AccessBuilder prefetch(String mnemonic, long address) {
        AccessBuilder b = new AccessBuilder(mnemonic, address, 0);
        b.prefetch = true;
        return b;
    }

    static AccessBuilder cacheMaintenance(String mnemonic, long address, int size) {
        AccessBuilder b = new AccessBuilder(mnemonic, address, size);
        b.cacheMaintenance = true;
        return b;
    }

    AccessBuilder startingAt(long start) {
        this.accessStart = start;
        return this;
    }

    AccessBuilder aligned(int bytes) {
        this.alignment = bytes;
        return this;
    }

    AccessBuilder exclusive() {
        this.exclusive = true;
        return this;
    }

    AccessBuilder acquireRelease(boolean ordered) {
        this.acquireRelease = ordered;
        return this;
    }

    AccessBuilder unprivileged() {
        this.unprivileged = true;
        return this;
    }

    AccessBuilder simd(boolean isSimd) {
        this.simd = isSimd;
        return this;
    }

    DataAccess build() {
        return new DataAccess(mnemonic, address, accessStart, size, read, write, alignment,
                cacheMaintenance, exclusive, acquireRelease, atomic, unprivileged, simd, prefetch);
    }
}
