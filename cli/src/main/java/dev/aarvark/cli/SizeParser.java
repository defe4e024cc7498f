package dev.aarvark.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a memory size as QEMU's {@code -m} does: a number with an optional binary suffix (K, M, G,
 * T; also KiB/MiB/GiB/TiB and lower case); a bare number means MiB.
 */
public final class SizeParser {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt](?:i?b)?|b)?", Pattern.CASE_INSENSITIVE);

    private SizeParser() {}

    /**
     * @throws IllegalArgumentException with a one-line reason naming {@code what} and the text
     */
    public static long parse(String what, String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(what + " " + text + ": not a size (use e.g. 512M, 2G or 1048576B)");
        }
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " " + text + ": number too large");
        }
        String suffix = m.group(2) == null ? "m" : m.group(2).toLowerCase(Locale.ROOT);
        int shift = switch (suffix.charAt(0)) {
            case 'b' -> 0;
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> throw new IllegalArgumentException(what + " " + text + ": unknown unit");
        };
        if (n > (Long.MAX_VALUE >>> shift)) {
            throw new IllegalArgumentException(what + " " + text + ": size too large");
        }
        return n << shift;
    }
}
