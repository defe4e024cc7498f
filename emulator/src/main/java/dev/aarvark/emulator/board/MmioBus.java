package dev.aarvark.emulator.board;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.MmioDevice;
import dev.aarvark.emulator.cpu.unicorn.Unicorn;
import dev.aarvark.memory.AddressSpace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;

/**
 * The board's physical bus for memory-mapped devices: places each device in the machine's
 * {@link AddressSpace} and in libunicorn (through the one adapter, {@link MappedDevice}, which
 * counts accesses), and finally maps every hole below 2^PARange as an {@link UnassignedRegion}.
 *
 * <p>Invariants: devices do not overlap (the address space refuses an overlap); after
 * {@link #mapHoles} every physical address below the CPU's PA limit is RAM, a device or a hole;
 * {@link #placements()} lists what was actually mapped, sub-page devices one by one.
 * vCPU thread only.
 */
public final class MmioBus {
    /** A device as mapped: its name and physical range. */
    public record Placement(String name, long base, long size) {
        public long end() {
            return base + size;
        }
    }

    private final Unicorn uc;
    private final AddressSpace space;
    private final List<MappedDevice> mapped = new ArrayList<>();
    private final List<Placement> placements = new ArrayList<>();

    public MmioBus(Unicorn uc, AddressSpace space) {
        this.uc = uc;
        this.space = space;
    }

    /** Maps {@code device} at the base of its board table line; it must fit the line's size. */
    public void map(BoardDevice line, MmioDevice device) {
        if (device.size() > line.size()) {
            throw new IllegalArgumentException(device.name() + " (" + device.size() + " bytes) does not fit "
                    + line.unitName() + " (" + line.size() + " bytes)");
        }
        map(line.base(), device);
    }

    /** Maps {@code device} at {@code base}. */
    public void map(long base, MmioDevice device) {
        mapRegion(base, device);
        placements.add(new Placement(device.name(), base, device.size()));
    }

    /**
     * Maps a window of sub-page devices at {@code base} as one region (accesses counted under the
     * window's name), and records each device's own place.
     */
    public void map(long base, SubPageDevices window) {
        mapRegion(base, window);
        for (int i = 0; i < window.count(); i++) {
            MmioDevice d = window.device(i);
            placements.add(new Placement(d.name(), base + i * d.size(), d.size()));
        }
    }

    private void mapRegion(long base, MmioDevice device) {
        space.addDevice(device.name(), base, device.size());
        MappedDevice adapter = new MappedDevice(device);
        mapped.add(adapter);
        uc.mmioMap(base, device.size(), adapter);
    }

    /**
     * Maps every range below {@code 2^paBits} that holds neither RAM nor a device as an
     * {@link UnassignedRegion}: an access there becomes a guest error and {@code abortAt} is told.
     */
    public void mapHoles(int paBits, LongConsumer abortAt, GuestErrorLog errors) {
        for (AddressSpace.Region hole : space.holes(1L << paBits)) {
            uc.mmioMap(hole.base(), hole.size(), new UnassignedRegion(hole.base(), abortAt, errors));
        }
    }

    /** What was mapped, in mapping order. */
    public List<Placement> placements() {
        return Collections.unmodifiableList(placements);
    }

    /** MMIO reads and writes so far, by mapped device name ({@code [reads, writes]}). */
    public Map<String, long[]> counts() {
        Map<String, long[]> counts = new TreeMap<>();
        for (MappedDevice m : mapped) {
            counts.put(m.device().name(), new long[] {m.reads(), m.writes()});
        }
        return Collections.unmodifiableMap(counts);
    }
}
