package dev.aarvark.cli;

import java.util.Arrays;

/**
 * Configures SLF4J's simple logger before the first logger exists: messages go to standard error,
 * one line each, INFO and above by default ({@code --debug}: DEBUG and stack traces, {@code --quiet}:
 * warnings and errors only). Standard output is the guest console's alone.
 */
final class Logging {
    private static boolean debug;

    private Logging() {}

    static void configure(String[] args) {
        debug = Arrays.asList(args).contains("--debug");
        boolean quiet = Arrays.asList(args).contains("--quiet");
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", debug ? "debug" : quiet ? "warn" : "info");
        setDefault("org.slf4j.simpleLogger.logFile", "System.err");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        setDefault("org.slf4j.simpleLogger.showLogName", "false");
        setDefault("org.slf4j.simpleLogger.showShortLogName", debug ? "true" : "false");
        setDefault("org.slf4j.simpleLogger.levelInBrackets", "false");
        setDefault("org.slf4j.simpleLogger.showDateTime", "false");
        setDefault("org.slf4j.simpleLogger.warnLevelString", "WARN");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    static boolean debug() {
        return debug;
    }
}
