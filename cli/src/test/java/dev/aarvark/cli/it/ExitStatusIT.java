package dev.aarvark.cli.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exit statuses a CI job relies on: expect met, fail matched, timeout, and their summary line. */
class ExitStatusIT {
    @Test
    void theLastExpectEndsTheRunWithSuccessBeforeTheGuestDoes() throws Exception {
        Aarvark.Run r = Aarvark.run("boot", "--kernel", Aarvark.guest("hang").toString(),
                "--expect", "hang: spinning", "--timeout", "60s");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.stderr().contains("expect met"), r.toString());
        assertTrue(r.stderr().contains("expect 'hang: spinning' at"), r.toString());
    }

    @Test
    void aFailPatternEndsTheRunWithGuestFailure() throws Exception {
        Aarvark.Run r = Aarvark.run("boot", "--semihosting", "--kernel", Aarvark.guest("hello").toString(),
                "--fail", "Hello from", "--timeout", "60s");
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.stderr().contains("--fail 'Hello from' matched"), r.toString());
    }

    @ParameterizedTest(name = "a guest hung with interrupts masked ends with status 2 ({0})")
    @CsvSource({"auto", "count"})
    void aGuestHungWithInterruptsMaskedTimesOut(String preempt) throws Exception {
        long t0 = System.nanoTime();
        Aarvark.Run r = Aarvark.run(60, "boot", "--preempt", preempt, "--kernel", Aarvark.guest("hang").toString(),
                "--timeout", "2s");
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.stderr().contains("timeout after"), r.toString());
        assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "the emulator must stop soon after the timeout");
    }

    @Test
    void aGuestThatEndsBeforeItsExpectIsAFailure() throws Exception {
        Aarvark.Run r = Aarvark.run("boot", "--semihosting", "--kernel", Aarvark.guest("hello").toString(),
                "--expect", "never printed", "--timeout", "60s");
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.stderr().contains("expect 'never printed' not seen"), r.toString());
    }

    @Test
    void expectsMustAppearInOrder() throws Exception {
        Aarvark.Run r = Aarvark.run("boot", "--semihosting", "--kernel", Aarvark.guest("exceptions").toString(),
                "--expect", "exceptions: svc-el1 ok", "--expect", "exceptions: brk-el1 ok", "--timeout", "60s");
        assertEquals(0, r.status(), r.toString());
        Aarvark.Run reversed = Aarvark.run("boot", "--semihosting", "--kernel", Aarvark.guest("exceptions").toString(),
                "--expect", "exceptions: brk-el1 ok", "--expect", "exceptions: svc-el1 ok", "--timeout", "60s");
        assertEquals(1, reversed.status(), "svc-el1 was printed before brk-el1, so the second expect never appears: " + reversed);
    }

    @Test
    void serialFileReceivesTheConsole() throws Exception {
        java.nio.file.Path out = java.nio.file.Files.createTempFile("aarvark-serial", ".txt");
        Aarvark.Run r = Aarvark.run("boot", "--semihosting", "--kernel", Aarvark.guest("hello").toString(),
                "--serial", "file:" + out);
        assertEquals(0, r.status(), r.toString());
        assertEquals("", r.stdout());
        assertEquals("Hello from the aarvark bare-metal guest\n", java.nio.file.Files.readString(out));
    }
}
