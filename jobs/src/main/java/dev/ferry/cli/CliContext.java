package dev.ferry.cli;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.ferry.FerryApplication;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * The Spring application behind the CLI, started on first use so that {@code --help} and
 * usage errors need no database. Tests hand in a context they already have.
 * <p>
 * Not thread-safe: one command runs per process.
 */
public final class CliContext implements AutoCloseable {

	/** Spring Boot's property that turns console log lines into JSON. */
	static final String STRUCTURED_CONSOLE_FORMAT = "logging.structured.format.console";

	/**
	 * The system property that keeps Spring Boot's background pre-initializer from
	 * starting ({@code BackgroundPreinitializingApplicationListener}, not public).
	 */
	private static final String NO_BACKGROUND_PREINITIALIZER = "spring.backgroundpreinitializer.ignore";

	private final Function<Consumer<Environment>, ConfigurableApplicationContext> starter;

	private final boolean owned;

	private @Nullable ConfigurableApplicationContext context;

	private @Nullable Environment environment;

	private CliContext(Function<Consumer<Environment>, ConfigurableApplicationContext> starter, boolean owned) {
		this.starter = starter;
		this.owned = owned;
	}

	/** Starts Ferry's Spring application when a command first needs it. */
	public static CliContext lazy() {
		return new CliContext(CliContext::startApplication, true);
	}

	/** Uses a running application context, which the caller closes. */
	public static CliContext of(ConfigurableApplicationContext context) {
		return new CliContext(environmentPrepared -> {
			environmentPrepared.accept(context.getEnvironment());
			return context;
		}, false);
	}

	public <T> T bean(Class<T> type) {
		return context().getBean(type);
	}

	/**
	 * The bean of a type, or empty when the configuration defines none (a job whose
	 * settings are absent).
	 */
	public <T> Optional<T> findBean(Class<T> type) {
		return Optional.ofNullable(context().getBeanProvider(type).getIfAvailable());
	}

	/** Every bean of a type, in order; empty when the configuration defines none. */
	public <T> List<T> beans(Class<T> type) {
		return context().getBeanProvider(type).orderedStream().toList();
	}

	private ConfigurableApplicationContext context() {
		if (this.context == null) {
			this.context = this.starter.apply(environment -> this.environment = environment);
		}
		return this.context;
	}

	/**
	 * Whether Spring logs JSON lines ({@code logging.structured.format.console}), so that
	 * the CLI's own messages must be log events too, or a log collector would get lines
	 * that are not JSON. Known once Spring has prepared its configuration, even if it
	 * then failed to start; false before (help, usage errors found without Spring).
	 */
	boolean logsStructured() {
		return this.environment != null && StringUtils.hasText(this.environment.getProperty(STRUCTURED_CONSOLE_FORMAT));
	}

	/**
	 * The configuration Spring prepared, also when it then failed to start; null before
	 * Spring ran or if it failed before that.
	 */
	@Nullable Environment environment() {
		return this.environment;
	}

	private static ConfigurableApplicationContext startApplication(Consumer<Environment> environmentPrepared) {
		SpringApplication application = new SpringApplication(FerryApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		application.addListeners((ApplicationListener<ApplicationEnvironmentPreparedEvent>) event -> environmentPrepared
			.accept(event.getEnvironment()));
		// a command builds the beans it uses, and only those: 'ferry history' starts no
		// job, S3 client, scanner or source pool (the job repository's schema is checked
		// first all the same, see RepositorySchemaConfiguration)
		application.setLazyInitialization(true);
		// Spring Boot warms Jackson, Bean Validation, the conversion service and charsets
		// up
		// on a thread of its own, for a server's many cores: on a pod's one or two it
		// only
		// competes with the start-up it should speed up, and loads about a thousand
		// classes that most commands never use (the few that do load them when they need
		// them)
		if (System.getProperty(NO_BACKGROUND_PREINITIALIZER) == null) {
			System.setProperty(NO_BACKGROUND_PREINITIALIZER, "true");
		}
		StartupReport report = StartupReport.requested();
		if (report != null) {
			application.setApplicationStartup(report.startup());
		}
		// no arguments: the command line is the CLI's, never a source of Spring
		// properties
		ConfigurableApplicationContext context = application.run();
		if (report != null) {
			report.print();
		}
		return context;
	}

	@Override
	public void close() {
		if (this.owned && this.context != null) {
			this.context.close();
		}
	}

}
