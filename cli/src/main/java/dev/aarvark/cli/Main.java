package dev.aarvark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code aarvark} command: {@code aarvark boot ...} runs a guest, {@code aarvark bench ...}
 * runs the micro-benchmarks. Parse errors print one line and exit 3.
 */
@Command(name = "aarvark", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A full-system AArch64 emulator for guests built for QEMU's virt board.",
        subcommands = {BootCommand.class, BenchCommand.class, BenchBootCommand.class, BenchConsoleCommand.class, BenchNetCommand.class, BenchSoakCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed: aarvark boot --kernel FILE ... (see aarvark --help)");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit status (no System.exit, for tests). */
    public static int execute(String... args) {
        Logging.configure(args);
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((ex, a) -> {
            System.err.println("aarvark: " + ex.getMessage() + " (see aarvark " + subcommandName(ex) + "--help)");
            return ExitStatus.ERROR;
        });
        cl.setExecutionExceptionHandler((ex, parsed, result) -> {
            System.err.println("aarvark: " + (ex instanceof dev.aarvark.emulator.MachineConfigException m ? Flags.message(m) : ex.getMessage()));
            if (Logging.debug()) {
                ex.printStackTrace();
            }
            return ExitStatus.ERROR;
        });
        return cl.execute(args);
    }

    private static String subcommandName(CommandLine.ParameterException ex) {
        String name = ex.getCommandLine().getCommandName();
        return "aarvark".equals(name) ? "" : name + " ";
    }
}
