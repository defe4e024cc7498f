package dev.aarvark.cli;

import java.io.ByteArrayOutputStream;

/**
 * QEMU's console escape on an interactive terminal: Ctrl-A then a key. {@code Ctrl-A x} quits,
 * {@code Ctrl-A h} prints help, {@code Ctrl-A Ctrl-A} sends one Ctrl-A to the guest; every other
 * byte passes through unchanged.
 */
final class ConsoleEscape {
    static final byte CTRL_A = 0x01;

    /** What to do with a chunk of input. */
    interface Actions {
        void toGuest(byte[] data, int off, int len);

        void quit();

        void help();
    }

    private boolean escaped;

    /** Feeds host input; calls {@code actions} for guest bytes and commands. */
    void feed(byte[] data, int off, int len, Actions actions) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(len);
        for (int i = off; i < off + len; i++) {
            byte b = data[i];
            if (escaped) {
                escaped = false;
                switch (b) {
                    case 'x', 'X' -> {
                        flush(out, actions);
                        actions.quit();
                        return;
                    }
                    case 'h', 'H', '?' -> {
                        flush(out, actions);
                        actions.help();
                    }
                    case CTRL_A -> out.write(CTRL_A);
                    default -> {
                        // Unknown command: ignored, as QEMU does.
                    }
                }
            } else if (b == CTRL_A) {
                escaped = true;
            } else {
                out.write(b);
            }
        }
        flush(out, actions);
    }

    private static void flush(ByteArrayOutputStream out, Actions actions) {
        if (out.size() > 0) {
            byte[] b = out.toByteArray();
            actions.toGuest(b, 0, b.length);
            out.reset();
        }
    }

    static final String HELP = "\r\nC-a h    print this help\r\nC-a x    exit emulator\r\nC-a C-a  sends C-a\r\n";
}
