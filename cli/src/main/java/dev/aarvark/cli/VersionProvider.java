package dev.aarvark.cli;

import dev.aarvark.emulator.cpu.unicorn.UnicornLibrary;
import picocli.CommandLine;

/** {@code --version}: aarvark's version and the libunicorn it would use. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        String lib;
        try {
            UnicornLibrary u = UnicornLibrary.get();
            lib = "libunicorn " + u.versionString() + (u.isPinnedBuild() ? " (pinned Debian build)" : "") + " at " + u.path();
        } catch (RuntimeException e) {
            lib = "libunicorn: " + e.getMessage();
        }
        return new String[] {"aarvark " + (v == null ? "0.1.0-SNAPSHOT" : v), lib, "Java " + Runtime.version()};
    }
}
