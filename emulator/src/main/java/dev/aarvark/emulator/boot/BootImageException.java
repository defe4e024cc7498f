package dev.aarvark.emulator.boot;

/**
 * A boot input that cannot be used: a kernel, initrd or device tree that is missing, unreadable,
 * empty, malformed, or does not fit in guest RAM.
 *
 * <p>The message is always one line of the form {@code <role> <source>: <reason>}, for example
 * {@code kernel /tmp/x.elf: truncated ELF: program header 2 ends at byte 0x1c0 but the file has 0x100 bytes},
 * so the CLI can print it as is. {@link #role()} is {@code kernel}, {@code initrd} or {@code dtb};
 * {@link #source()} names the file (or the generated tree).
 */
public class BootImageException extends RuntimeException {
    private final String role;
    private final String source;
    private final String reason;

    public BootImageException(String role, String source, String reason) {
        this(role, source, reason, null);
    }

    public BootImageException(String role, String source, String reason, Throwable cause) {
        super(oneLine(role + " " + source + ": " + reason), cause);
        this.role = role;
        this.source = source;
        this.reason = oneLine(reason);
    }

    /** What the input is for: {@code kernel}, {@code initrd} or {@code dtb}. */
    public String role() {
        return role;
    }

    /** The file (or generated source) the input came from. */
    public String source() {
        return source;
    }

    /** Why it cannot be used, without the role and source. */
    public String reason() {
        return reason;
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ");
    }
}
