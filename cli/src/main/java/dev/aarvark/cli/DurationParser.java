package dev.aarvark.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses a duration: a number with an optional unit ms, s, m or h; a bare number means seconds. */
public final class DurationParser {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h)?");

    private DurationParser() {}

    /** @throws IllegalArgumentException with a one-line reason naming {@code what} and the text */
    public static Duration parse(String what, String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(what + " " + text + ": not a duration (use e.g. 500ms, 60s, 2m)");
        }
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double millis = switch (unit) {
            case "ms" -> v;
            case "s" -> v * 1000;
            case "m", "min" -> v * 60_000;
            default -> v * 3_600_000;
        };
        if (millis <= 0 || millis > 365.0 * 24 * 3_600_000) {
            throw new IllegalArgumentException(what + " " + text + ": must be positive and at most a year");
        }
        return Duration.ofMillis(Math.round(millis));
    }
}
