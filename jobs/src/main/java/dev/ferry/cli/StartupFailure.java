package dev.ferry.cli;

import java.util.List;

import dev.ferry.common.failure.RootCause;
import dev.ferry.common.secret.MaskedUrl;
import dev.ferry.run.ExitCode;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.ArgumentResolver;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;
import org.springframework.core.log.LogMessage;

/**
 * Turns an exception that ended a command into one line that says what is wrong and
 * where. Spring Boot's failure analyzers tell a failure to start (bad configuration, a
 * job repository database that cannot be reached) from a failure of the command: Ferry's
 * own ({@code dev.ferry.diagnostics}) come first and describe theirs in one line that
 * names the property; an analysis is exit code 6, with its description as the line.
 * Anything else is exit code 1, with the cause chain. Either way, a password in a URL (a
 * value that did not bind, an exception's message) is masked.
 * <p>
 * Spring Boot runs the same analyzers as the application fails to start, but does not
 * print their report: {@code application.properties} turns its logger off, so that the
 * failure is told once, here.
 */
record StartupFailure(ExitCode exitCode, String message) {

	private static final Log logger = LogFactory.getLog(StartupFailure.class);

	static StartupFailure explain(Throwable failure) {
		return explain(failure, null);
	}

	/**
	 * @param environment the configuration Spring had prepared when it failed, for the
	 * analyzers that read it; null if it got no further
	 */
	static StartupFailure explain(Throwable failure, @Nullable Environment environment) {
		for (FailureAnalyzer analyzer : analyzers(environment)) {
			FailureAnalysis analysis = analyze(analyzer, failure);
			if (analysis != null) {
				return new StartupFailure(ExitCode.CONFIGURATION, MaskedUrl.of(oneLine(analysis.getDescription())));
			}
		}
		return new StartupFailure(ExitCode.FAILED, MaskedUrl.of(RootCause.describe(failure)));
	}

	/**
	 * Every analyzer of {@code spring.factories}, in order. One that needs the bean
	 * factory is left out (logged at trace, as Spring Boot does): the context that failed
	 * is closed.
	 */
	private static List<FailureAnalyzer> analyzers(@Nullable Environment environment) {
		ArgumentResolver arguments = (environment != null) ? ArgumentResolver.of(Environment.class, environment)
				: ArgumentResolver.none();
		return SpringFactoriesLoader.forDefaultResourceLocation(StartupFailure.class.getClassLoader())
			.load(FailureAnalyzer.class, arguments, FailureHandler.logging(logger));
	}

	/** An analyzer that fails itself has no analysis, as in Spring Boot. */
	private static @Nullable FailureAnalysis analyze(FailureAnalyzer analyzer, Throwable failure) {
		try {
			return analyzer.analyze(failure);
		}
		catch (RuntimeException ex) {
			logger.trace(LogMessage.format("FailureAnalyzer %s failed", analyzer), ex);
			return null;
		}
	}

	/** Spring Boot's own descriptions run over several indented lines. */
	private static String oneLine(String description) {
		return description.strip().replaceAll("\\s*\\R\\s*", " ");
	}

}
