package dev.aarvark.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParsersTest {
    @Test
    void sizesUseBinaryUnitsAndBareNumbersAreMebibytesAsInQemu() {
        assertEquals(512L << 20, SizeParser.parse("--memory", "512"));
        assertEquals(512L << 20, SizeParser.parse("--memory", "512M"));
        assertEquals(2L << 30, SizeParser.parse("--memory", "2g"));
        assertEquals(1L << 30, SizeParser.parse("--memory", "1GiB"));
        assertEquals(4096, SizeParser.parse("--memory", "4096b"));
        assertEquals(64L << 10, SizeParser.parse("--memory", "64K"));
    }

    @Test
    void badSizesNameTheFlagAndTheText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SizeParser.parse("--memory", "12x"));
        assertTrue(e.getMessage().startsWith("--memory 12x: not a size"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SizeParser.parse("--memory", "-5M"));
        assertThrows(IllegalArgumentException.class, () -> SizeParser.parse("--memory", "99999999999999999999"));
        assertThrows(IllegalArgumentException.class, () -> SizeParser.parse("--memory", "9999999999T"));
    }

    @Test
    void durationsAcceptCommonUnitsAndBareSeconds() {
        assertEquals(Duration.ofSeconds(60), DurationParser.parse("--timeout", "60s"));
        assertEquals(Duration.ofSeconds(60), DurationParser.parse("--timeout", "60"));
        assertEquals(Duration.ofMillis(500), DurationParser.parse("--timeout", "500ms"));
        assertEquals(Duration.ofMinutes(2), DurationParser.parse("--timeout", "2m"));
        assertEquals(Duration.ofMillis(1500), DurationParser.parse("--timeout", "1.5s"));
    }

    @Test
    void badDurationsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DurationParser.parse("--timeout", "soon"));
        assertThrows(IllegalArgumentException.class, () -> DurationParser.parse("--timeout", "0s"));
    }
}
