package dev.ferry.cli;

import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.ferry.run.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.IParameterExceptionHandler;

/**
 * The {@code ferry} command line: one executable jar, one CLI, exit codes a CronJob can
 * act on (see {@link ExitCode}).
 */
@Command(name = "ferry", mixinStandardHelpOptions = true, versionProvider = FerryVersion.class,
		description = { "Moves regulated data across network boundaries with scheduled, restartable batch jobs.",
				"Every run is kept in the PostgreSQL job repository: a failed run resumes where it stopped." },
		subcommands = {
				RunCommand.class, RestartCommand.class, RecoverCommand.class, StopCommand.class, AbandonCommand.class,
				HistoryCommand.class, ShowCommand.class, JobsCommand.class, BucketCheckCommand.class,
				BucketSetupCommand.class, RoutesCommand.class, CommandLine.HelpCommand.class },
		exitCodeListHeading = "%nExit codes:%n",
		exitCodeList = { "0:completed, or nothing to do", "1:the job failed (restart it once the cause is fixed)",
				"2:usage error", "3:the job stopped (SIGTERM or 'ferry stop'); it can be restarted",
				"4:already running in another process; nothing was touched",
				"5:not restartable (completed, abandoned, or not the newest execution)",
				"6:could not start: bad configuration or unreachable job repository database" },
		footer = { "", "Run 'ferry help <command>' for a command's options." })
public class FerryCli implements Runnable {

	@picocli.CommandLine.Spec
	CommandLine.Model.CommandSpec spec;

	@Override
	public void run() {
		throw new CommandLine.ParameterException(this.spec.commandLine(), "Missing command");
	}

	/**
	 * The hidden first argument of the training run of the image's JDK AOT cache: command
	 * lines separated by {@code ;} arguments follow, and run one after the other in this
	 * JVM ({@link #executeInSequence}), so that the one cache the training writes holds
	 * every job's classes and profiles, not only those of the first. Not for users.
	 */
	public static final String AOT_TRAINING = "--aot-training";

	/**
	 * Runs the command line in a new process: Spring starts only if the command needs it.
	 * Once the command has its exit code, the process ends within
	 * {@link ExitDeadline#GRACE}, whatever is left running.
	 */
	public static int execute(String... args) {
		List<String> arguments = Arrays.asList(args);
		boolean training = !arguments.isEmpty() && arguments.getFirst().equals(AOT_TRAINING);
		return executeInSequence(training ? commandLines(arguments.subList(1, arguments.size())) : List.of(arguments));
	}

	/**
	 * Runs command lines one after the other, each with a context of its own as in a
	 * process of its own, until one does not exit 0; that exit code, or 0.
	 */
	static int executeInSequence(List<List<String>> commandLines) {
		int exitCode = 0;
		for (List<String> commandLine : commandLines) {
			try (CliContext context = CliContext.lazy()) {
				exitCode = execute(context, new PrintWriter(System.out, true), new PrintWriter(System.err, true),
						commandLine.toArray(String[]::new));
			}
			if (exitCode != 0) {
				break;
			}
		}
		ExitDeadline.arm(exitCode);
		return exitCode;
	}

	/** Arguments split at each {@code ;}; empty command lines dropped. */
	static List<List<String>> commandLines(List<String> args) {
		List<List<String>> commandLines = new ArrayList<>();
		List<String> current = new ArrayList<>();
		for (String arg : args) {
			if (arg.equals(";")) {
				commandLines.add(current);
				current = new ArrayList<>();
			}
			else {
				current.add(arg);
			}
		}
		commandLines.add(current);
		commandLines.removeIf(List::isEmpty);
		return commandLines;
	}

	/** Runs the command line against a given context and streams (for tests). */
	public static int execute(CliContext context, PrintWriter out, PrintWriter err, String... args) {
		CommandLine commandLine = new CommandLine(new FerryCli(), new ContextFactory(context));
		commandLine.setOut(out);
		commandLine.setErr(err);
		commandLine.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
			StartupFailure failure = StartupFailure.explain(ex, context.environment());
			return Outcomes.error(context, cmd.getErr(), failure.exitCode(), failure.message());
		});
		IParameterExceptionHandler usageError = commandLine.getParameterExceptionHandler();
		commandLine.setParameterExceptionHandler((ex, arguments) -> {
			if (!context.logsStructured()) {
				// message and usage help, as picocli prints them
				return usageError.handleParseException(ex, arguments);
			}
			// an unknown job or bad parameter, found once Spring had started
			return Outcomes.error(context, ex.getCommandLine().getErr(), ExitCode.USAGE,
					ex.getMessage() + " (see 'ferry help " + ex.getCommandLine().getCommandName() + "')");
		});
		return commandLine.execute(args);
	}

	/** Gives commands the application context through their constructor. */
	private record ContextFactory(CliContext context) implements IFactory {

		@Override
		public <K> K create(Class<K> type) throws Exception {
			for (Constructor<?> constructor : type.getDeclaredConstructors()) {
				if (constructor.getParameterCount() == 1 && constructor.getParameterTypes()[0] == CliContext.class) {
					constructor.setAccessible(true);
					return type.cast(constructor.newInstance(this.context));
				}
			}
			return CommandLine.defaultFactory().create(type);
		}

	}

}
