package dev.aarvark.cli.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code aarvark bench-soak}: a short soak (the long ones are benchmarks, see the README). */
class BenchSoakIT {
    @Test
    void aShortSoakBootsTheSmokeImageWithEachStrategyAndCountsPasses(@TempDir Path logs) throws Exception {
        Aarvark.Run r = Aarvark.run(300, "bench-soak", "--boots", "1", "--kernel", Interactive.linux("Image").toString(),
                "--initrd", Interactive.linux("initramfs-smoke.cpio.gz").toString(), "--logs", logs.toString());
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.stdout().matches("(?s).*--preempt kick\\s+1 boots\\s+1 passed\\s+0 failed.*"), r.toString());
        assertTrue(r.stdout().matches("(?s).*--preempt count\\s+1 boots\\s+1 passed\\s+0 failed.*"), r.toString());
    }

    @Test
    void aBootThatNeverReachesTheMarkerCountsAsAFailureAndKeepsItsLog(@TempDir Path logs) throws Exception {
        // init=/nonexistent: the kernel panics (panic=-1 resets), so GUEST-CHECKS-DONE never appears.
        Aarvark.Run r = Aarvark.run(300, "bench-soak", "--boots", "1", "--preempt", "kick",
                "--kernel", Interactive.linux("Image").toString(), "--initrd", Interactive.linux("initramfs-smoke.cpio.gz").toString(),
                "--append", "console=ttyAMA0 panic=-1 init=/nonexistent", "--logs", logs.toString());
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.stdout().contains("kick boot 1: FAILED, exit 1"), r.toString());
        assertTrue(Files.exists(logs.resolve("failed-kick-1.log")), r.toString());
    }

    @Test
    void aBadStrategyIsRefusedInOneLine() throws Exception {
        Aarvark.Run r = Aarvark.run(60, "bench-soak", "--preempt", "fast", "--kernel", Interactive.linux("Image").toString());
        assertEquals(3, r.status(), r.toString());
        assertTrue(r.stderr().contains("--preempt fast: use kick and/or count"), r.toString());
    }
}
