package dev.aarvark.devices.io.net;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TapFrameBackend}'s failures are one line naming {@code tap:IFNAME} and the reason; the
 * ioctl numbers are Linux's. Traffic through a real TAP is TapNetIT's (inside a namespace it makes).
 */
class TapFrameBackendTest {
    @Test
    void theIoctlNumbersAreLinuxs() {
        assertEquals(0x400454caL, LinuxTun.TUNSETIFF);
        assertEquals(0x400454d0L, LinuxTun.TUNSETOFFLOAD);
        assertEquals(0x400454d8L, LinuxTun.TUNSETVNETHDRSZ);
        assertEquals(0x800454cfL, LinuxTun.TUNGETFEATURES);
    }

    @Test
    void aMissingCloneDeviceIsOneLineSayingSo() throws Exception {
        try (VcpuHarness h = new VcpuHarness()) {
            NetBackendException e = assertThrows(NetBackendException.class,
                    () -> TapFrameBackend.open(h.io, "tap0", "/nonexistent/tun"));
            assertEquals("tap:tap0", e.backend());
            assertEquals("cannot open /nonexistent/tun (no such file or directory): the kernel has no TUN/TAP driver here", e.reason());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void aNameTheKernelCannotTakeIsRefusedBeforeAnythingIsOpened() throws Exception {
        try (VcpuHarness h = new VcpuHarness()) {
            NetBackendException e = assertThrows(NetBackendException.class,
                    () -> TapFrameBackend.open(h.io, "sixteen-bytes-xx", "/nonexistent/tun"));
            assertTrue(e.reason().startsWith("an interface name is 1 to 15 bytes"), e.reason());
        }
    }
}
