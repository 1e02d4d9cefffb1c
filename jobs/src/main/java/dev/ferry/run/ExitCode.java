package dev.ferry.run;

/**
 * The process exit codes of the {@code ferry} command, documented in README so that a
 * CronJob (or an operator's script) can act on them.
 */
public enum ExitCode {

	/** The job completed (or had already completed); the command did what was asked. */
	OK(0),

	/** The job failed; restart it once the cause is fixed. */
	FAILED(1),

	/** The command line was wrong: unknown command, job, option or parameter. */
	USAGE(2),

	/**
	 * The job stopped on request (SIGTERM or {@code ferry stop}); it can be restarted.
	 */
	STOPPED(3),

	/** Another process runs this job instance right now; nothing was touched. */
	ALREADY_RUNNING(4),

	/**
	 * The execution cannot be restarted: it completed, was abandoned, or is not the
	 * newest.
	 */
	NOT_RESTARTABLE(5),

	/**
	 * Ferry could not start: bad configuration or an unreachable job repository database.
	 */
	CONFIGURATION(6);

	private final int code;

	ExitCode(int code) {
		this.code = code;
	}

	public int code() {
		return this.code;
	}

}
