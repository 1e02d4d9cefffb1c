package dev.ferry.testjob;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.ferry.FerryApplication;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextCustomizerFactories;

/**
 * The test slice for a job test: Ferry's whole application, configured from the test
 * class's fixture (a static field that is a
 * {@link dev.ferry.testkit.FerrySettings.Source}, see
 * {@link FixtureSettingsCustomizerFactory}), with the CLI as a bean
 * ({@link InProcessCli}). The same settings configure a child process through
 * {@code FerryProcess.Builder#settings}. The fixture starts the servers it needs (they
 * are shared by the test JVM); each test class gets its own context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(classes = FerryApplication.class)
@ContextCustomizerFactories(FixtureSettingsCustomizerFactory.class)
@Import(InProcessCli.CliBean.class)
public @interface FerryJobTest {

}
