package dev.aarvark.cli.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input gets one clear line naming the file or flag and the reason, exit status 3, and no
 * stack trace (those only with --debug).
 */
class BadInputIT {
    @TempDir
    static Path dir;

    @BeforeAll
    static void makeFiles() throws Exception {
        Files.write(dir.resolve("empty.bin"), new byte[0]);
        byte[] hello = Files.readAllBytes(Aarvark.guest("hello"));
        Files.write(dir.resolve("truncated.elf"), java.util.Arrays.copyOf(hello, 100));
        Files.write(dir.resolve("big.bin"), new byte[20 << 20]);
        Files.write(dir.resolve("overlap.elf"), overlappingElf());
        Files.createDirectory(dir.resolve("a-directory"));
    }

    /** An AArch64 ELF whose two PT_LOAD segments overlap at physical 0x40100800. */
    private static byte[] overlappingElf() {
        int phoff = 64;
        int dataOff = 0x1000;
        ByteBuffer b = ByteBuffer.allocate(dataOff + 0x1000).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.position(16);
        b.putShort((short) 2).putShort((short) 183).putInt(1);      // ET_EXEC, EM_AARCH64, EV_CURRENT
        b.putLong(0x40100000L).putLong(phoff).putLong(0);             // entry, phoff, shoff
        b.putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) 2); // flags, ehsize, phentsize, phnum
        b.putShort((short) 64).putShort((short) 0).putShort((short) 0);  // shentsize, shnum, shstrndx
        long[] paddr = {0x40100000L, 0x40100800L};
        for (long pa : paddr) {
            b.putInt(1).putInt(5);                                    // PT_LOAD, R|X
            b.putLong(dataOff).putLong(pa).putLong(pa);               // offset, vaddr, paddr
            b.putLong(0x1000).putLong(0x1000).putLong(0x1000);        // filesz, memsz, align
        }
        return b.array();
    }

    private static void assertOneLineError(Aarvark.Run r, String... mustContain) {
        assertEquals(3, r.status(), r.toString());
        assertEquals(1, r.stderrLines().size(), "exactly one line: " + r);
        String line = r.stderrLines().get(0);
        assertTrue(line.startsWith("aarvark: "), r.toString());
        for (String s : mustContain) {
            assertTrue(line.contains(s), "'" + s + "' in: " + line);
        }
        assertFalse(r.stderr().contains("Exception") || r.stderr().contains("\tat "), "no stack trace: " + r);
    }

    /**
     * A boot with {@code args}. With --preempt count: these runs test flag errors, and the kick
     * self-test of --preempt auto can print a warning of its own on a loaded machine (seen once
     * with four builds and boots sharing two cores), which is not what they look at.
     */
    private static Aarvark.Run boot(String... args) throws Exception {
        boolean preemptGiven = java.util.Arrays.asList(args).contains("--preempt");
        String[] all = new String[args.length + (preemptGiven ? 2 : 4)];
        all[0] = "boot";
        all[1] = "--quiet";
        if (!preemptGiven) {
            all[2] = "--preempt";
            all[3] = "count";
        }
        System.arraycopy(args, 0, all, preemptGiven ? 2 : 4, args.length);
        return Aarvark.run(all);
    }

    @Test
    void missingKernel() throws Exception {
        assertOneLineError(boot("--kernel", dir.resolve("nope.elf").toString()), "kernel", "nope.elf", "no such file");
    }

    @Test
    void unreadableKernel() throws Exception {
        assertOneLineError(boot("--kernel", dir.resolve("a-directory").toString()), "kernel", "a-directory", "directory");
    }

    @Test
    void emptyKernel() throws Exception {
        assertOneLineError(boot("--kernel", dir.resolve("empty.bin").toString()), "empty.bin", "empty file");
    }

    @Test
    void truncatedElf() throws Exception {
        assertOneLineError(boot("--kernel", dir.resolve("truncated.elf").toString()), "truncated.elf", "truncated ELF");
    }

    @Test
    void nonAarch64Elf() throws Exception {
        Path host = Path.of(ProcessHandle.current().info().command().orElseThrow());
        assertOneLineError(boot("--kernel", host.toString()), "not an AArch64 ELF");
    }

    @Test
    void overlappingSegments() throws Exception {
        assertOneLineError(boot("--kernel", dir.resolve("overlap.elf").toString()), "overlap.elf", "overlap");
    }

    @Test
    void kernelLargerThanRam() throws Exception {
        assertOneLineError(boot("--memory", "16M", "--kernel", dir.resolve("big.bin").toString()), "big.bin", "more than RAM");
    }

    @Test
    void badMemorySizes() throws Exception {
        String k = Aarvark.guest("hello").toString();
        assertOneLineError(boot("--memory", "12x", "--kernel", k), "--memory 12x", "not a size");
        assertOneLineError(boot("--memory", "8M", "--kernel", k), "--memory 8M", "16M");
        assertOneLineError(boot("--memory", "300G", "--kernel", k), "--memory 300G");
    }

    @Test
    void unknownCpu() throws Exception {
        assertOneLineError(boot("--cpu", "cortex-a99", "--kernel", Aarvark.guest("hello").toString()), "--cpu cortex-a99", "not a known CPU");
    }

    @Test
    void maxCpuIsRefusedWithTheReason() throws Exception {
        assertOneLineError(boot("--cpu", "max", "--kernel", Aarvark.guest("hello").toString()), "--cpu max", "SVE");
    }

    @Test
    void otherBadFlags() throws Exception {
        String k = Aarvark.guest("hello").toString();
        assertOneLineError(boot("--timeout", "soon", "--kernel", k), "--timeout soon");
        assertOneLineError(boot("--serial", "carrier-pigeon", "--kernel", k), "--serial carrier-pigeon");
        assertOneLineError(boot("--preempt", "sometimes", "--kernel", k), "--preempt sometimes");
        assertOneLineError(boot("--expect", "(unclosed", "--kernel", k), "--expect (unclosed");
        assertOneLineError(boot("--bogus", "--kernel", k), "--bogus");
        assertOneLineError(boot(), "--kernel");
    }

    @Test
    void missingInitrdAndBadDtb() throws Exception {
        String k = Aarvark.guest("hello").toString();
        assertOneLineError(boot("--kernel", k, "--initrd", dir.resolve("nope.cpio").toString()), "initrd", "nope.cpio");
        assertOneLineError(boot("--kernel", k, "--dtb", dir.resolve("empty.bin").toString()), "dtb", "empty.bin");
    }

    @Test
    void debugShowsTheStackTrace() throws Exception {
        Aarvark.Run r = Aarvark.run("boot", "--debug", "--kernel", dir.resolve("empty.bin").toString());
        assertEquals(3, r.status(), r.toString());
        assertTrue(r.stderr().contains("\tat "), "--debug prints the stack trace: " + r);
    }

    @Test
    void hostStreamsThatCannotBeSetUpNameTheFlagTheAddressAndTheReason() throws Exception {
        String k = Aarvark.guest("hello").toString();
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertOneLineError(boot("--semihosting", "--kernel", k, "--hvc", "tcp:" + port),
                    "--hvc tcp:" + port + ": cannot listen on 127.0.0.1:" + port, "in use");
        }
        assertOneLineError(boot("--semihosting", "--kernel", k, "--port", "a.b=unix:" + dir.resolve("no-dir/sock")),
                "--port a.b=unix:", "no-dir/sock: cannot listen on", "No such file");
        assertOneLineError(boot("--semihosting", "--kernel", k, "--hvc", "file:" + dir.resolve("no-dir/out")),
                "--hvc file:", "cannot open for appending");
    }

    @Test
    void dmaFlagsThatCannotBeUsedAreOneLineEach() throws Exception {
        String k = Aarvark.guest("hello").toString();
        assertOneLineError(boot("--semihosting", "--kernel", k, "--dma-policy", "lax"),
                "--dma-policy lax: use bypass, strict or permissive");
        assertOneLineError(boot("--semihosting", "--kernel", k, "--dma-window", "virtio-net0=0x40300000+64K"),
                "--dma-window virtio-net0=0x40300000+64K: a window needs --dma-policy strict or permissive");
        assertOneLineError(boot("--semihosting", "--kernel", k, "--dma-policy", "strict", "--dma-window", "virtio-net0=0x40300000"),
                "--dma-window virtio-net0=0x40300000: use DEVICE=BASE+LEN");
        assertOneLineError(boot("--semihosting", "--kernel", k, "--net", "none", "--dma-policy", "strict",
                "--dma-window", "virtio-net1=0x40300000+64K"),
                "--dma-window virtio-net1: the board has no such device; it has virtio-net0");
        assertOneLineError(boot("--semihosting", "--kernel", k, "--iommu", "vt-d"), "--iommu vt-d: use none or smmuv3");
    }

    @Test
    void networkFlagsThatCannotBeUsedAreOneLineEach() throws Exception {
        String k = Aarvark.guest("hello").toString();
        assertOneLineError(boot("--semihosting", "--kernel", k, "--net", "carrier-pigeon"),
                "--net carrier-pigeon: unknown backend 'carrier-pigeon'");
        assertOneLineError(boot("--semihosting", "--kernel", k, "--net", "none,mac=52:54:00:12:34"),
                "--net none,mac=52:54:00:12:34: mac 52:54:00:12:34 is not six hex bytes");
        assertOneLineError(boot("--semihosting", "--kernel", k, "--net", "none,mac=01:00:5e:00:00:01"),
                "multicast address");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertOneLineError(boot("--semihosting", "--kernel", k, "--net", "stream:listen=tcp:" + port),
                    "--net stream:listen=tcp:" + port + ": ", "in use");
            // Nobody listens on a port just closed: the connecting end has no peer.
        }
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        assertOneLineError(boot("--semihosting", "--kernel", k, "--net", "stream:connect=tcp:127.0.0.1:" + closed),
                "--net stream:connect=tcp:127.0.0.1:" + closed + ": ");
        try (java.net.DatagramSocket taken = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertOneLineError(boot("--semihosting", "--kernel", k, "--net", "dgram:local=127.0.0.1:" + port + ",remote=127.0.0.1:9"),
                    "--net dgram:local=127.0.0.1:" + port + ",remote=127.0.0.1:9: ", "in use");
        }
    }

    @Test
    void aRunWithASocketBackendPrintsOnlyAarvarksOwnLines() throws Exception {
        Aarvark.Run r = boot("--semihosting", "--kernel", Aarvark.guest("hello").toString(),
                "--hvc", "unix:" + dir.resolve("ok.sock"));
        assertEquals(0, r.status(), r.toString());
        assertFalse(r.stderr().contains("WARNING"), "no JDK or Netty warnings: " + r);
    }
}
