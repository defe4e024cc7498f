package dev.aarvark.emulator.boot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the device-tree compiler ({@code dtc}) for tests. A missing dtc fails the test loudly (the
 * project's set-up installs it); it never skips.
 */
final class Dtc {
    /** What one dtc run produced. */
    record Result(int exitCode, byte[] stdout, String stderr) {
        String text() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private Dtc() {
    }

    /** {@code dtc -I dtb -O dts} of {@code dtb}. */
    static Result decompile(byte[] dtb) throws IOException {
        Path in = Files.createTempFile("aarvark-", ".dtb");
        try {
            Files.write(in, dtb);
            return run(List.of("-I", "dtb", "-O", "dts", in.toString()));
        } finally {
            Files.deleteIfExists(in);
        }
    }

    /** {@code dtc -q -I dts -O dtb} of {@code dts}; fails the test if dtc does. */
    static byte[] compile(String dts) throws IOException {
        Path in = Files.createTempFile("aarvark-", ".dts");
        try {
            Files.writeString(in, dts);
            Result r = run(List.of("-q", "-I", "dts", "-O", "dtb", in.toString()));
            if (r.exitCode() != 0) {
                fail("dtc could not compile the test's source: " + r.stderr());
            }
            return r.stdout();
        } finally {
            Files.deleteIfExists(in);
        }
    }

    /** The text of a test resource under {@code boot/}. */
    static String resource(String name) throws IOException {
        try (InputStream in = Dtc.class.getResourceAsStream("/boot/" + name)) {
            if (in == null) {
                fail("test resource boot/" + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Result run(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable().toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("dtc did not finish within 30 s");
            }
            return new Result(p.exitValue(), out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for dtc", e);
        }
    }

    private static Path executable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "dtc");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return fail("dtc (device-tree-compiler) is not on PATH; the boot tests need it "
                + "(the project's set-up installs it: apt-get install device-tree-compiler)");
    }
}
