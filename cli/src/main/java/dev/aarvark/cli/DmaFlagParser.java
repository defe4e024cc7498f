package dev.aarvark.cli;

import dev.aarvark.emulator.DmaConfig;
import dev.aarvark.iommu.policy.DmaPolicy;
import dev.aarvark.iommu.policy.DmaWindow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --iommu none|smmuv3}, {@code --dma-policy bypass|strict|permissive},
 * {@code --dma-window DEVICE=BASE+LEN[:ro|:rw]} (repeatable) and {@code --fail-on-dma-fault} into a
 * {@link DmaConfig}. BASE and LEN are hex
 * ({@code 0x...}) or decimal; LEN may end in K, M or G (KiB, MiB, GiB). A window is read-write
 * unless {@code :ro}. Every mistake is one line naming the flag.
 */
final class DmaFlagParser {
    static final String WINDOW_FORM = "use DEVICE=BASE+LEN[:ro|:rw], e.g. virtio-net0=0x40300000+64K";

    private DmaFlagParser() {
    }

    static DmaConfig parse(String policy, List<String> windows, boolean failOnFault) {
        return parse("none", policy, windows, failOnFault);
    }

    static DmaConfig parse(String iommu, String policy, List<String> windows, boolean failOnFault) {
        boolean smmu = switch (iommu.toLowerCase(Locale.ROOT)) {
            case "none" -> false;
            case "smmuv3" -> true;
            default -> throw new IllegalArgumentException("--iommu " + iommu + ": use none or smmuv3");
        };
        Optional<DmaPolicy> p = switch (policy.toLowerCase(Locale.ROOT)) {
            case "bypass" -> Optional.empty();
            case "strict" -> Optional.of(DmaPolicy.STRICT);
            case "permissive" -> Optional.of(DmaPolicy.PERMISSIVE);
            default -> throw new IllegalArgumentException("--dma-policy " + policy + ": use bypass, strict or permissive");
        };
        Map<String, List<DmaWindow>> byDevice = new LinkedHashMap<>();
        for (String w : windows) {
            if (p.isEmpty()) {
                throw new IllegalArgumentException("--dma-window " + w + ": a window needs --dma-policy strict or permissive");
            }
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--dma-window " + w + ": " + WINDOW_FORM);
            }
            byDevice.computeIfAbsent(w.substring(0, eq), d -> new ArrayList<>()).add(window(w, w.substring(eq + 1)));
        }
        return new DmaConfig(p, byDevice, failOnFault, smmu);
    }

    private static DmaWindow window(String flag, String text) {
        boolean writable = true;
        String range = text;
        int colon = text.lastIndexOf(':');
        if (colon >= 0) {
            String access = text.substring(colon + 1);
            range = text.substring(0, colon);
            switch (access) {
                case "rw" -> writable = true;
                case "ro" -> writable = false;
                default -> throw new IllegalArgumentException("--dma-window " + flag + ": the access is " + access
                        + "; use ro or rw");
            }
        }
        int plus = range.indexOf('+');
        if (plus <= 0 || plus == range.length() - 1) {
            throw new IllegalArgumentException("--dma-window " + flag + ": " + WINDOW_FORM);
        }
        long base = number(flag, range.substring(0, plus), false);
        long length = number(flag, range.substring(plus + 1), true);
        if (length <= 0) {
            throw new IllegalArgumentException("--dma-window " + flag + ": the length must be more than 0");
        }
        if (Long.compareUnsigned(base + length, base) < 0 && base + length != 0) {
            throw new IllegalArgumentException("--dma-window " + flag + ": the window runs past the top of the address space");
        }
        return new DmaWindow(base, length, writable);
    }

    private static long number(String flag, String text, boolean size) {
        String t = text.trim();
        long scale = 1;
        if (size && !t.isEmpty()) {
            char last = Character.toUpperCase(t.charAt(t.length() - 1));
            scale = switch (last) {
                case 'K' -> 1L << 10;
                case 'M' -> 1L << 20;
                case 'G' -> 1L << 30;
                default -> 1;
            };
            if (scale != 1) {
                t = t.substring(0, t.length() - 1);
            }
        }
        try {
            long v = t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
            if (v < 0 && !t.startsWith("0x") && !t.startsWith("0X")) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(v, scale);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("--dma-window " + flag + ": " + text + " is not a number; " + WINDOW_FORM);
        }
    }
}
