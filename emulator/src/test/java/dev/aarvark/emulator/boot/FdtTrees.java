package dev.aarvark.emulator.boot;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test helpers comparing and trimming device trees. */
final class FdtTrees {
    private FdtTrees() {
    }

    /**
     * Asserts both subtrees have the same node names in the same order and, per node, the same
     * properties (names, order and values).
     */
    static void assertSameTree(FdtNode expected, FdtNode actual) {
        assertSameTree(expected, actual, "/");
    }

    private static void assertSameTree(FdtNode expected, FdtNode actual, String path) {
        assertEquals(names(expected.properties()), names(actual.properties()), "property names and order of " + path);
        for (int i = 0; i < expected.properties().size(); i++) {
            FdtProperty e = expected.properties().get(i);
            assertEquals(e, actual.properties().get(i), "value of " + path + (path.endsWith("/") ? "" : "/") + e.name());
        }
        assertEquals(expected.children().stream().map(FdtNode::name).toList(),
                actual.children().stream().map(FdtNode::name).toList(), "child nodes and order of " + path);
        for (int i = 0; i < expected.children().size(); i++) {
            FdtNode c = expected.children().get(i);
            assertSameTree(c, actual.children().get(i), (path.endsWith("/") ? path : path + "/") + c.name());
        }
    }

    /** Removes the nodes at {@code paths} from {@code fdt}, failing if one is absent. */
    static void remove(Fdt fdt, String... paths) {
        for (String path : paths) {
            int slash = path.lastIndexOf('/');
            String parent = slash == 0 ? "/" : path.substring(0, slash);
            FdtNode p = fdt.find(parent).orElseThrow(() -> new AssertionError("no node " + parent));
            assertTrue(p.removeChild(path.substring(slash + 1)), "the reference has node " + path);
        }
    }

    private static List<String> names(List<FdtProperty> props) {
        return props.stream().map(FdtProperty::name).toList();
    }
}
