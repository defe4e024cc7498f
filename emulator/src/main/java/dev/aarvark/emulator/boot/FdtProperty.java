package dev.aarvark.emulator.boot;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One property of a device tree node: a name and an opaque value (Devicetree Specification v0.4
 * §2.2.4, stored in the structure block as an {@code FDT_PROP} token, §5.4.1).
 *
 * <p>The factories encode the value types of §2.2.4.1 the way the spec lays them out: {@code <u32>}
 * and {@code <u64>} big-endian, {@code <prop-encoded-array>} as consecutive big-endian 32-bit cells,
 * {@code <string>} NUL-terminated, {@code <stringlist>} as concatenated NUL-terminated strings, and
 * an empty value for boolean properties. The typed readers check the value has that shape and throw
 * {@link FdtPropertyTypeException} otherwise.
 *
 * <p>Immutable: the value is copied in and out. The name is non-empty and contains no NUL.
 */
public final class FdtProperty {
    private final String name;
    private final byte[] value;

    public FdtProperty(String name, byte[] value) {
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("invalid property name '" + name + "': must be non-empty without NUL");
        }
        this.name = name;
        this.value = value.clone();
    }

    /** A boolean property: present, with an empty value. */
    public static FdtProperty empty(String name) {
        return new FdtProperty(name, new byte[0]);
    }

    /** A {@code <u32>} value. */
    public static FdtProperty u32(String name, int value) {
        return cells(name, value);
    }

    /** A {@code <u64>} value (two cells, high cell first). */
    public static FdtProperty u64(String name, long value) {
        return cells(name, (int) (value >>> 32), (int) value);
    }

    /** A {@code <prop-encoded-array>} of 32-bit cells. */
    public static FdtProperty cells(String name, int... cells) {
        byte[] v = new byte[cells.length * 4];
        for (int i = 0; i < cells.length; i++) {
            putInt(v, i * 4, cells[i]);
        }
        return new FdtProperty(name, v);
    }

    /** A {@code <string>}: the text followed by one NUL. */
    public static FdtProperty string(String name, String text) {
        return strings(name, text);
    }

    /** A {@code <stringlist>}: each string NUL-terminated, concatenated. At least one string. */
    public static FdtProperty strings(String name, String... list) {
        if (list.length == 0) {
            throw new IllegalArgumentException("string list property '" + name + "' needs at least one string");
        }
        StringBuilder sb = new StringBuilder();
        for (String s : list) {
            if (s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("string in property '" + name + "' contains NUL");
            }
            sb.append(s).append('\0');
        }
        return new FdtProperty(name, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Raw bytes, stored as given. */
    public static FdtProperty bytes(String name, byte[] value) {
        return new FdtProperty(name, value);
    }

    public String name() {
        return name;
    }

    /** A copy of the value bytes. */
    public byte[] value() {
        return value.clone();
    }

    /** Length of the value in bytes. */
    public int length() {
        return value.length;
    }

    /** True for a boolean (empty-valued) property. */
    public boolean isEmpty() {
        return value.length == 0;
    }

    /** The value as one {@code <u32>}. */
    public int asU32() {
        if (value.length != 4) {
            throw new FdtPropertyTypeException(name, "expected a u32 (4 bytes), found " + value.length + " bytes");
        }
        return getInt(value, 0);
    }

    /** The value as one {@code <u64>}. */
    public long asU64() {
        if (value.length != 8) {
            throw new FdtPropertyTypeException(name, "expected a u64 (8 bytes), found " + value.length + " bytes");
        }
        return ((long) getInt(value, 0) << 32) | (getInt(value, 4) & 0xffff_ffffL);
    }

    /** The value as an address-like number of one or two cells (what {@code linux,initrd-start} may hold). */
    public long asNumber() {
        return switch (value.length) {
            case 4 -> asU32() & 0xffff_ffffL;
            case 8 -> asU64();
            default -> throw new FdtPropertyTypeException(name, "expected 1 or 2 cells, found " + value.length + " bytes");
        };
    }

    /** The value as 32-bit cells. */
    public int[] asCells() {
        if (value.length % 4 != 0) {
            throw new FdtPropertyTypeException(name, "expected whole 32-bit cells, found " + value.length + " bytes");
        }
        int[] cells = new int[value.length / 4];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = getInt(value, i * 4);
        }
        return cells;
    }

    /** The value as one NUL-terminated {@code <string>}. */
    public String asString() {
        List<String> list = asStringList();
        if (list.size() != 1) {
            throw new FdtPropertyTypeException(name, "expected one string, found a list of " + list.size());
        }
        return list.get(0);
    }

    /** The value as a {@code <stringlist>}. */
    public List<String> asStringList() {
        if (value.length == 0 || value[value.length - 1] != 0) {
            throw new FdtPropertyTypeException(name, "expected NUL-terminated strings");
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < value.length; i++) {
            if (value[i] == 0) {
                out.add(new String(value, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FdtProperty p && p.name.equals(name) && Arrays.equals(p.value, value);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return name + " = [" + HexFormat.ofDelimiter(" ").formatHex(value) + "]";
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static int getInt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }
}
