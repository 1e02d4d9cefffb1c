package dev.ferry.cli;

import java.util.Optional;
import java.util.function.Supplier;

import dev.ferry.FerryApplication;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring application behind the CLI, started on first use so that {@code --help} and
 * usage errors need no database. Tests hand in a context they already have.
 * <p>
 * Not thread-safe: one command runs per process.
 */
public final class CliContext implements AutoCloseable {

	private final Supplier<ConfigurableApplicationContext> starter;

	private final boolean owned;

	private ConfigurableApplicationContext context;

	private CliContext(Supplier<ConfigurableApplicationContext> starter, boolean owned) {
		this.starter = starter;
		this.owned = owned;
	}

	/** Starts Ferry's Spring application when a command first needs it. */
	public static CliContext lazy() {
		return new CliContext(CliContext::startApplication, true);
	}

	/** Uses a running application context, which the caller closes. */
	public static CliContext of(ConfigurableApplicationContext context) {
		return new CliContext(() -> context, false);
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

	private ConfigurableApplicationContext context() {
		if (this.context == null) {
			this.context = this.starter.get();
		}
		return this.context;
	}

	private static ConfigurableApplicationContext startApplication() {
		SpringApplication application = new SpringApplication(FerryApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		application.setLogStartupInfo(false);
		// no arguments: the command line is the CLI's, never a source of Spring
		// properties
		return application.run();
	}

	@Override
	public void close() {
		if (this.owned && this.context != null) {
			this.context.close();
		}
	}

}
