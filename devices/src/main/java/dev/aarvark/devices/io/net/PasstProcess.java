package dev.aarvark.devices.io.net;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A passt process (passt(1), Debian's {@code passt}: user-mode networking with no privileges)
 * serving one guest over QEMU's stream framing on a Unix socket in a private directory. It is
 * started with:
 * <ul>
 *   <li>{@code --foreground --quiet}: a child process aarvark owns, errors on its standard error;</li>
 *   <li>{@code --one-off}: it quits when its one client goes away, so an aarvark that dies (even by
 *       SIGKILL, which runs no cleanup) leaves no passt once its socket is closed by the kernel;</li>
 *   <li>{@code --socket DIR/passt.sock};</li>
 *   <li>{@code --no-dhcp-dns --no-dhcp-search}: the guest is told of no DNS server, so nothing is
 *       resolved through the host unless the guest is configured to;</li>
 *   <li>{@code -t}/{@code -u} for each {@link PortForward} (none otherwise: passt forwards no port
 *       by default).</li>
 * </ul>
 * passt maps the guest's gateway address to the host, so the guest reaches the host's loopback
 * services at its gateway. Run as root, passt drops to user {@code nobody}; the directory is then
 * given to that user so passt can make its socket there.
 *
 * <p>What it keeps true: {@link #start} returns only once the socket exists, or throws a
 * {@link NetBackendException} with passt's own error line (a port in use, no passt on the path);
 * {@link #close} stops the process and removes the directory. The window in which an aarvark killed
 * by SIGKILL can leave a passt behind is the time between {@link #start} and the connection (a few
 * milliseconds): passt then waits for a client that never comes.
 */
public final class PasstProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PasstProcess.class);
    /** How long passt may take to make its socket. */
    static final long START_MILLIS = 10_000;

    private final Process process;
    private final Path dir;
    private final Path socket;
    private final Path log;
    private volatile boolean closing;

    private PasstProcess(Process process, Path dir, Path socket, Path log) {
        this.process = process;
        this.dir = dir;
        this.socket = socket;
        this.log = log;
    }

    /** The command line for {@code passt} serving {@code socket} with {@code forwards}. */
    static List<String> command(String passt, Path socket, List<PortForward> forwards) {
        List<String> cmd = new ArrayList<>(List.of(passt, "--foreground", "--quiet", "--one-off",
                "--socket", socket.toString(), "--no-dhcp-dns", "--no-dhcp-search"));
        for (PortForward f : forwards) {
            cmd.add(f.udp() ? "-u" : "-t");
            cmd.add(f.passtSpec());
        }
        return cmd;
    }

    /**
     * Starts {@code passt} (an executable name looked up on the PATH, or a path) for
     * {@code description} (the backend's text, for errors) and waits for its socket.
     *
     * @throws NetBackendException if passt is missing, exits, or makes no socket in time
     */
    public static PasstProcess start(String passt, List<PortForward> forwards, String description) {
        Path dir;
        try {
            dir = Files.createTempDirectory("aarvark-passt", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            UserPrincipal owner = Files.getOwner(dir);
            if (owner.getName().equals("root")) {
                // passt started by root runs as nobody: let it make its socket here.
                var users = dir.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(dir, users.lookupPrincipalByName("nobody"));
            }
        } catch (IOException e) {
            throw new NetBackendException(description, "cannot make a directory for passt's socket ("
                    + NetBackendException.reasonOf(e) + ")", e);
        }
        Path socket = dir.resolve("passt.sock");
        Path log;
        Process p;
        try {
            log = Files.createTempFile("aarvark-passt", ".log");
            p = new ProcessBuilder(command(passt, socket, forwards)).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile()).start();
        } catch (IOException e) {
            deleteQuietly(dir);
            throw new NetBackendException(description, "cannot start " + passt + " (" + NetBackendException.reasonOf(e)
                    + "; user-mode networking needs Debian's passt package)", e);
        }
        PasstProcess passtProcess = new PasstProcess(p, dir, socket, log);
        long deadline = System.nanoTime() + START_MILLIS * 1_000_000;
        try {
            while (!Files.exists(socket)) {
                if (!p.isAlive()) {
                    String why = passtProcess.errorLine();
                    passtProcess.close();
                    throw new NetBackendException(description, "passt exited with status " + p.exitValue()
                            + (why.isEmpty() ? "" : ": " + why), null);
                }
                if (System.nanoTime() > deadline) {
                    passtProcess.close();
                    throw new NetBackendException(description, "passt made no socket within " + START_MILLIS / 1000 + " s", null);
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            passtProcess.close();
            Thread.currentThread().interrupt();
            throw new NetBackendException(description, "interrupted while starting passt", e);
        }
        p.onExit().thenAccept(x -> {
            if (!passtProcess.closing) {
                String why = x.exitValue() == 0 ? "" : passtProcess.errorLine();
                LOG.warn("{}: passt exited with status {}{}; the link stays down", description, x.exitValue(),
                        why.isEmpty() ? "" : " (" + why + ")");
            }
        });
        return passtProcess;
    }

    /**
     * Says that passt is about to end by itself (its client is going: --one-off), so its exit is
     * not reported as a failure.
     */
    public void expectExit() {
        closing = true;
    }

    /** The Unix socket passt serves. */
    public Path socket() {
        return socket;
    }

    /** passt's process id. */
    public long pid() {
        return process.pid();
    }

    /** passt's last line of error output, without its complaints about a missing syslog; "" if none. */
    String errorLine() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("Failed to send") && !l.startsWith("Don't run as root"))
                    .toList();
            return lines.isEmpty() ? "" : lines.getLast().trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** Stops passt (SIGTERM, then SIGKILL after a second) and removes its directory and log. */
    @Override
    public void close() {
        closing = true;
        process.destroy();
        try {
            if (!process.waitFor(1, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteQuietly(dir);
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // A temporary file; nothing depends on it.
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary directory; nothing depends on it.
        }
    }
}
