package dev.aarvark.devices.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileHostStreamTest {
    @TempDir
    Path dir;

    @Test
    void guestOutputIsAppendedAndTheHostIsAlwaysConnected() throws Exception {
        Path f = dir.resolve("port.out");
        Files.writeString(f, "before\n");
        FileHostStream s = new FileHostStream(f);
        boolean[] connected = {false};
        s.start(new HostStream.Listener() {
            @Override
            public int received(byte[] data, int off, int len) {
                return 0;
            }

            @Override
            public void writable() {
            }

            @Override
            public void hostConnected(boolean c) {
                connected[0] = c;
            }
        });
        assertTrue(connected[0]);
        byte[] b = "guest\n".getBytes();
        assertEquals(6, s.write(b, 0, b.length));
        s.close();
        assertEquals("before\nguest\n", Files.readString(f));
    }

    @Test
    void anUnwritableFileIsRefusedWithItsName() {
        FileHostStream s = new FileHostStream(dir.resolve("no/such/dir/x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.start(null));
        assertTrue(e.getMessage().startsWith("file:"), e.getMessage());
    }
}
