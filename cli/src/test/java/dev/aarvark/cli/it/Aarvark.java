package dev.aarvark.cli.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged {@code aarvark.jar} as a separate process, the way the launcher does, and
 * collects its exit status and output. Guest images come from {@code <root>/.cache/guests}, built
 * by {@code make test} before Maven runs; a missing image fails the test with that reason.
 */
final class Aarvark {
    /** What a run produced. */
    record Run(int status, String stdout, String stderr) {
        List<String> stderrLines() {
            return stderr.lines().filter(l -> !l.isBlank()).toList();
        }

        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private Aarvark() {}

    static Path root() {
        String r = System.getProperty("aarvark.root");
        if (r == null) {
            throw new IllegalStateException("system property aarvark.root is not set (run through Maven)");
        }
        return Path.of(r);
    }

    static Path guest(String name) {
        Path p = root().resolve(".cache/guests/baremetal/" + name + ".elf");
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("guest image " + p + " is missing: run 'make guests' (make test does)");
        }
        return p;
    }

    static Run run(String... args) throws IOException, InterruptedException {
        return run(120, args);
    }

    static Run run(int timeoutSeconds, String... args) throws IOException, InterruptedException {
        Path jar = root().resolve("cli/target/aarvark.jar");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xss4m",
                "-Daarvark.root=" + root(), "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("aarvark " + String.join(" ", args) + " did not end within " + timeoutSeconds + " s");
        }
        return new Run(p.exitValue(), out.join(), err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<unreadable: " + e + ">";
        }
    }
}
