package dev.aarvark.iommu.smmuv3;

/**
 * One event record (IHI 0070 §7.3), as the SMMU writes it to the event queue: 32 bytes, four
 * little-endian doublewords. Fields not given here are 0 (no SubstreamID: SSV = 0; no stall: STAG
 * and Stall 0; stage 1 only: S2 = 0 and IPA 0).
 *
 * <p>Layout: dword 0 = type [7:0], SSV [11], SubstreamID [31:12], StreamID [63:32]; dword 1 =
 * PnU [33], InD [34], RnW [35], CLASS [41:40]; dword 2 = the input address; dword 3 = the fetch
 * address [51:3] of F_STE_FETCH, F_CD_FETCH and F_WALK_EABT.
 *
 * @param type         the event type
 * @param streamId     the transaction's StreamID
 * @param inputAddress the transaction's input (device) address; 0 for configuration events
 * @param read         RnW: the transaction was a read
 * @param privileged   PnU: the transaction was privileged
 * @param eventClass   CLASS: 0 = CD fetch, 1 = translation table fetch, 2 = the input address
 * @param fetchAddress the address that could not be fetched, or 0
 */
public record SmmuEvent(SmmuEventType type, int streamId, long inputAddress, boolean read, boolean privileged,
                        int eventClass, long fetchAddress) {
    /** CLASS of a fault on a CD fetch. */
    public static final int CLASS_CD = 0;
    /** CLASS of a fault on a translation table fetch. */
    public static final int CLASS_TT = 1;
    /** CLASS of a fault on the input address itself. */
    public static final int CLASS_IN = 2;

    /** A configuration event (no transaction details). */
    public static SmmuEvent config(SmmuEventType type, int streamId) {
        return new SmmuEvent(type, streamId, 0, false, false, 0, 0);
    }

    /** The record's four doublewords. */
    public long[] encode() {
        long d0 = type.code() | (long) streamId << 32;
        long d1 = (privileged ? 1L << 33 : 0) | (read ? 1L << 35 : 0) | ((long) eventClass & 3) << 40;
        long d3 = fetchAddress & 0x000f_ffff_ffff_fff8L;
        return new long[] {d0, d1, inputAddress, d3};
    }

    /** Reads a record back from its doublewords (for tests and tools). */
    public static SmmuEvent decode(long d0, long d1, long d2, long d3) {
        SmmuEventType type = SmmuEventType.of((int) (d0 & 0xff));
        if (type == null) {
            throw new IllegalArgumentException("event type 0x" + Long.toHexString(d0 & 0xff) + " is not one this SMMU writes");
        }
        return new SmmuEvent(type, (int) (d0 >>> 32), d2, (d1 & 1L << 35) != 0, (d1 & 1L << 33) != 0,
                (int) (d1 >>> 40) & 3, d3 & 0x000f_ffff_ffff_fff8L);
    }

    /** One line: "F_TRANSLATION stream 1 read of 0x12340000". */
    public String describe() {
        StringBuilder sb = new StringBuilder(type.name()).append(" stream ").append(streamId);
        if (type.code() >= SmmuEventType.F_WALK_EABT.code() || type == SmmuEventType.F_STREAM_DISABLED) {
            sb.append(read ? " read of 0x" : " write of 0x").append(Long.toHexString(inputAddress));
        }
        if (fetchAddress != 0) {
            sb.append(", fetch of 0x").append(Long.toHexString(fetchAddress)).append(" failed");
        }
        return sb.toString();
    }
}
