package dev.aarvark.iommu.smmuv3;

import dev.aarvark.memory.mmu.Translation;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The SMMU's TLB of stage-1 translations (IHI 0070 §16.2 "TLB tagging, VMIDs, ASIDs and
 * participation in broadcast TLB maintenance"): leaf translations tagged with the CD's ASID, or global
 * when the leaf's nG bit is 0, looked up by 4 KB page of the input address.
 *
 * <p>What it keeps true: an entry stays until a command that invalidates it on hardware (CMD_TLBI_*),
 * so a guest that changes a table without the TLBI keeps getting the old translation, as on hardware.
 * Changing an STE or CD (and CMD_CFGI_*) does not touch it. At most {@link #CAPACITY} pages are held;
 * a full TLB is emptied (hardware may drop any entry at any time). Every change bumps
 * {@link #generation()}, so a per-stream last-hit cache can tell that it is stale.
 */
public final class Iotlb {
    /** Pages held before the TLB is emptied. */
    public static final int CAPACITY = 16384;
    /** The tag of global entries (nG = 0): they match every ASID. */
    static final int GLOBAL = 0x1_0000;

    private final Map<Long, Translation> entries = new HashMap<>();
    /** Entries whose mapping is larger than the 4 KB page they are filed under (blocks, 64 KB pages). */
    private int large;
    private long generation;

    /** Bumped by every insertion that empties the TLB and by every invalidation. */
    public long generation() {
        return generation;
    }

    private static long key(int tag, long va) {
        // 16-bit ASID (or GLOBAL) above bit 37; bit 36 = VA bit 55 (TTB1 range); VA[47:12].
        return (long) tag << 37 | ((va >>> 55) & 1) << 36 | ((va >>> 12) & 0xf_ffff_ffffL);
    }

    /** The translation covering {@code va} for {@code asid} (its own or a global one), or null. */
    public Translation lookup(int asid, long va) {
        Translation t = entries.get(key(asid, va));
        return t != null ? t : entries.get(key(GLOBAL, va));
    }

    /** Holds {@code t} (the leaf that translated {@code va}) for {@code asid}. */
    public void insert(int asid, long va, Translation t) {
        if (entries.size() >= CAPACITY) {
            entries.clear();
            large = 0;
            generation++;
        }
        Translation old = entries.put(key(t.notGlobal() ? asid : GLOBAL, va), t);
        if (old != null && old.size() > 4096) {
            large--;
        }
        if (t.size() > 4096) {
            large++;
        }
    }

    /** CMD_TLBI_NH_ALL, CMD_TLBI_NSNH_ALL, CMD_TLBI_S12_VMALL: every entry. */
    public void invalidateAll() {
        entries.clear();
        large = 0;
        generation++;
    }

    /** CMD_TLBI_NH_ASID: the entries of {@code asid}; global entries stay. */
    public void invalidateAsid(int asid) {
        entries.entrySet().removeIf(e -> (e.getKey() >>> 37) == asid && dropped(e.getValue()));
        generation++;
    }

    /**
     * CMD_TLBI_NH_VA (with an ASID: that ASID's entries and the global ones) or CMD_TLBI_NH_VAA
     * ({@code asid} &lt; 0: every ASID) for the mappings that cover {@code va}.
     */
    public void invalidateVa(int asid, long va) {
        if (asid >= 0 && large == 0) {
            // Only 4 KB mappings are held: the page's own entries are the only ones that cover va.
            remove(key(asid, va));
            remove(key(GLOBAL, va));
            generation++;
            return;
        }
        Iterator<Map.Entry<Long, Translation>> it = entries.entrySet().iterator();
        long vaBits = va & 0x00ff_ffff_ffff_ffffL;
        while (it.hasNext()) {
            Map.Entry<Long, Translation> e = it.next();
            int tag = (int) (e.getKey() >>> 37);
            if (asid >= 0 && tag != asid && tag != GLOBAL) {
                continue;
            }
            Translation t = e.getValue();
            long base = t.mappingVa() & 0x00ff_ffff_ffff_ffffL;
            if (vaBits >= base && vaBits - base < t.size()) {
                dropped(t);
                it.remove();
            }
        }
        generation++;
    }

    private void remove(long key) {
        Translation t = entries.remove(key);
        if (t != null) {
            dropped(t);
        }
    }

    /** Keeps the count of large entries as {@code t} leaves; true (for removeIf). */
    private boolean dropped(Translation t) {
        if (t.size() > 4096) {
            large--;
        }
        return true;
    }

    /** How many pages are held. */
    public int size() {
        return entries.size();
    }
}
