package dev.aarvark.emulator.boot;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * One node of a device tree (Devicetree Specification v0.4 §2.2): a name ({@code node-name} or
 * {@code node-name@unit-address}; empty for the root), an ordered list of properties and an ordered
 * list of child nodes. Order is kept exactly as built or read, because it is what
 * {@code dtc -I dtb -O dts} shows and what QEMU's trees are compared by.
 *
 * <p>Invariants: property names are unique within a node, child names are unique within a node, and
 * a name never contains {@code '/'} or NUL. Two ways to set a property: {@link #put} replaces a
 * property of the same name in place or appends a new one (building a tree in display order);
 * {@link #putFirst} replaces in place or inserts the new property first, which is where libfdt's
 * {@code fdt_setprop} puts a new property, so edits of a loaded DTB land where QEMU's would.
 */
public final class FdtNode {
    private final String name;
    private final List<FdtProperty> properties = new ArrayList<>();
    private final List<FdtNode> children = new ArrayList<>();

    public FdtNode(String name) {
        if (name == null || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("invalid node name '" + name + "': must not contain '/' or NUL");
        }
        this.name = name;
    }

    /** The full name, with the unit address if any ({@code "memory@40000000"}); empty for the root. */
    public String name() {
        return name;
    }

    /** The name without the unit address ({@code "memory"}). */
    public String unitName() {
        int at = name.indexOf('@');
        return at < 0 ? name : name.substring(0, at);
    }

    /** The properties in order (read-only view). */
    public List<FdtProperty> properties() {
        return Collections.unmodifiableList(properties);
    }

    /** The child nodes in order (read-only view). */
    public List<FdtNode> children() {
        return Collections.unmodifiableList(children);
    }

    public Optional<FdtProperty> property(String propertyName) {
        for (FdtProperty p : properties) {
            if (p.name().equals(propertyName)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The child named {@code childName}. A name without a unit address also matches a single child
     * whose name before {@code '@'} equals it (DTSpec §2.2.3: the unit address may be omitted when
     * unambiguous); an exact match always wins.
     */
    public Optional<FdtNode> child(String childName) {
        FdtNode unitMatch = null;
        int unitMatches = 0;
        for (FdtNode c : children) {
            if (c.name.equals(childName)) {
                return Optional.of(c);
            }
            if (childName.indexOf('@') < 0 && c.unitName().equals(childName)) {
                unitMatch = c;
                unitMatches++;
            }
        }
        return unitMatches == 1 ? Optional.of(unitMatch) : Optional.empty();
    }

    /** Appends a new, empty child and returns it. */
    public FdtNode addChild(String childName) {
        return addChild(new FdtNode(childName));
    }

    /** Appends {@code child} and returns it. */
    public FdtNode addChild(FdtNode child) {
        requireNewChildName(child.name);
        children.add(child);
        return child;
    }

    /** Inserts a new, empty child before all others (libfdt's {@code fdt_add_subnode} position) and returns it. */
    public FdtNode addChildFirst(String childName) {
        FdtNode child = new FdtNode(childName);
        requireNewChildName(childName);
        children.add(0, child);
        return child;
    }

    /** Removes the child with exactly this name; true if there was one. */
    public boolean removeChild(String childName) {
        return children.removeIf(c -> c.name.equals(childName));
    }

    /** Replaces the property of the same name in place, or appends it. Returns this node. */
    public FdtNode put(FdtProperty property) {
        int i = indexOf(property.name());
        if (i >= 0) {
            properties.set(i, property);
        } else {
            properties.add(property);
        }
        return this;
    }

    /** Replaces the property of the same name in place, or inserts it first. Returns this node. */
    public FdtNode putFirst(FdtProperty property) {
        int i = indexOf(property.name());
        if (i >= 0) {
            properties.set(i, property);
        } else {
            properties.add(0, property);
        }
        return this;
    }

    /** Removes the named property; true if there was one. */
    public boolean removeProperty(String propertyName) {
        return properties.removeIf(p -> p.name().equals(propertyName));
    }

    /** {@link #put} of a {@code <u32>}. */
    public FdtNode u32(String propertyName, int value) {
        return put(FdtProperty.u32(propertyName, value));
    }

    /** {@link #put} of a {@code <u64>}. */
    public FdtNode u64(String propertyName, long value) {
        return put(FdtProperty.u64(propertyName, value));
    }

    /** {@link #put} of a cell array. */
    public FdtNode cells(String propertyName, int... cells) {
        return put(FdtProperty.cells(propertyName, cells));
    }

    /** {@link #put} of a {@code <string>}. */
    public FdtNode string(String propertyName, String text) {
        return put(FdtProperty.string(propertyName, text));
    }

    /** {@link #put} of a {@code <stringlist>}. */
    public FdtNode strings(String propertyName, String... list) {
        return put(FdtProperty.strings(propertyName, list));
    }

    /** {@link #put} of raw bytes. */
    public FdtNode bytes(String propertyName, byte[] value) {
        return put(FdtProperty.bytes(propertyName, value));
    }

    /** {@link #put} of an empty (boolean) property. */
    public FdtNode empty(String propertyName) {
        return put(FdtProperty.empty(propertyName));
    }

    /** A deep copy of this node and its subtree. */
    public FdtNode copy() {
        FdtNode n = new FdtNode(name);
        n.properties.addAll(properties);
        for (FdtNode c : children) {
            n.children.add(c.copy());
        }
        return n;
    }

    @Override
    public String toString() {
        return "FdtNode[" + (name.isEmpty() ? "/" : name) + ", " + properties.size() + " properties, "
                + children.size() + " children]";
    }

    private int indexOf(String propertyName) {
        for (int i = 0; i < properties.size(); i++) {
            if (properties.get(i).name().equals(propertyName)) {
                return i;
            }
        }
        return -1;
    }

    private void requireNewChildName(String childName) {
        for (FdtNode c : children) {
            if (c.name.equals(childName)) {
                throw new IllegalArgumentException("node '" + name + "' already has a child named '" + childName + "'");
            }
        }
    }
}
