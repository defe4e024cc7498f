package dev.aarvark.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs this same aarvark (same JVM, same jar, same JVM flags as the
 * {@code ./aarvark} launcher, class data sharing included) as a separate process, for the
 * benchmarks that time or repeat whole runs as a user sees them.
 */
final class ChildAarvark {
    private ChildAarvark() {
    }

    /** {@code java <launcher flags> -jar aarvark.jar} followed by {@code args}. */
    static List<String> command(List<String> args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        String jar = Path.of(ChildAarvark.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString();
        String root = System.getProperty("aarvark.root", ".");
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+AutoCreateSharedArchive",
                "-XX:SharedArchiveFile=" + root + "/.cache/aarvark.jsa", "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                "--enable-native-access=ALL-UNNAMED", "-Xss4m", "-Daarvark.root=" + root, "-jar", jar));
        cmd.addAll(args);
        return cmd;
    }
}
