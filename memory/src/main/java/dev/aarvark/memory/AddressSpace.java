package dev.aarvark.memory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The guest physical address space of a board: its RAM banks and its named device (MMIO) regions.
 *
 * <p>Invariants: regions never overlap (adding an overlapping one throws); RAM accesses through the
 * {@link PhysicalMemory} methods are served by exactly one bank and never straddle two; an access
 * that touches a device region or a hole throws {@link PhysicalAccessException}. {@link #holes}
 * lists every gap below a limit, so the board can map each one and no guest-reachable physical
 * address is left unmapped in Unicorn.
 */
public final class AddressSpace implements PhysicalMemory {
    /** One named range of the map. */
    public record Region(String name, long base, long size, boolean ram) {
        public Region {
            if (size <= 0 || base < 0 || base + size < base) {
                throw new IllegalArgumentException("bad region " + name + " at 0x" + Long.toHexString(base)
                        + " size 0x" + Long.toHexString(size));
            }
        }

        public long end() {
            return base + size;
        }

        public boolean contains(long pa) {
            return pa >= base && pa - base < size;
        }
    }

    private final List<Region> regions = new ArrayList<>();
    private final List<GuestRam> banks = new ArrayList<>();
    private GuestRam lastBank;

    /** Adds a RAM bank (its region is named "ram"). */
    public void addRam(GuestRam bank) {
        add(new Region("ram@" + Long.toHexString(bank.base()), bank.base(), bank.size(), true));
        banks.add(bank);
        if (lastBank == null) {
            lastBank = bank;
        }
    }

    /** Adds a named device region. */
    public void addDevice(String name, long base, long size) {
        add(new Region(name, base, size, false));
    }

    private void add(Region r) {
        for (Region o : regions) {
            if (r.base() < o.end() && o.base() < r.end()) {
                throw new IllegalArgumentException("region " + r.name() + " [0x" + Long.toHexString(r.base()) + ", 0x"
                        + Long.toHexString(r.end()) + ") overlaps " + o.name() + " [0x" + Long.toHexString(o.base())
                        + ", 0x" + Long.toHexString(o.end()) + ")");
            }
        }
        regions.add(r);
        regions.sort(Comparator.comparingLong(Region::base));
    }

    /** Every region, by address. */
    public List<Region> regions() {
        return Collections.unmodifiableList(regions);
    }

    /** The RAM banks, in the order they were added. */
    public List<GuestRam> ramBanks() {
        return Collections.unmodifiableList(banks);
    }

    /** The region holding {@code pa}, or null for a hole. */
    public Region regionAt(long pa) {
        for (Region r : regions) {
            if (r.contains(pa)) {
                return r;
            }
        }
        return null;
    }

    /** The gaps between regions in {@code [0, limit)}, by address. */
    public List<Region> holes(long limit) {
        List<Region> out = new ArrayList<>();
        long cursor = 0;
        for (Region r : regions) {
            if (r.base() >= limit) {
                break;
            }
            if (r.base() > cursor) {
                out.add(new Region("hole", cursor, r.base() - cursor, false));
            }
            cursor = Math.max(cursor, r.end());
        }
        if (cursor < limit) {
            out.add(new Region("hole", cursor, limit - cursor, false));
        }
        return out;
    }

    /** The bank holding the whole of {@code [pa, pa+len)}; throws if there is none. */
    public GuestRam bank(long pa, long len) {
        GuestRam b = lastBank;
        if (b != null && b.contains(pa, len)) {
            return b;
        }
        for (GuestRam r : banks) {
            if (r.contains(pa, len)) {
                lastBank = r;
                return r;
            }
        }
        Region r = regionAt(pa);
        throw new PhysicalAccessException(pa, len, r == null ? "is not backed by RAM (unassigned address)"
                : "is not wholly inside RAM (starts in " + r.name() + ")");
    }

    @Override
    public boolean isDevice(long pa) {
        Region r = regionAt(pa);
        return r != null && !r.ram();
    }

    @Override
    public boolean isRam(long pa, long len) {
        for (GuestRam r : banks) {
            if (r.contains(pa, len)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public byte readByte(long pa) {
        return bank(pa, 1).readByte(pa);
    }

    @Override
    public int readInt(long pa) {
        return bank(pa, 4).readInt(pa);
    }

    @Override
    public long readLong(long pa) {
        return bank(pa, 8).readLong(pa);
    }

    @Override
    public void writeByte(long pa, byte v) {
        bank(pa, 1).writeByte(pa, v);
    }

    @Override
    public void writeInt(long pa, int v) {
        bank(pa, 4).writeInt(pa, v);
    }

    @Override
    public void writeLong(long pa, long v) {
        bank(pa, 8).writeLong(pa, v);
    }

    @Override
    public void read(long pa, byte[] dst, int dstOff, int len) {
        bank(pa, len).read(pa, dst, dstOff, len);
    }

    @Override
    public void write(long pa, byte[] src, int srcOff, int len) {
        bank(pa, len).write(pa, src, srcOff, len);
    }
}
