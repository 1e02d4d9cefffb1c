package dev.ferry.testjob;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.ferry.testkit.FerrySettings;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.util.ReflectionUtils;

/**
 * Puts the settings of a test class's fixture ({@code static final} fields that are a
 * {@link FerrySettings.Source}) first among the context's properties, so that a job test
 * declares its servers once and no property-registration boilerplate.
 */
class FixtureSettingsCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		List<Field> fixtures = new ArrayList<>();
		ReflectionUtils.doWithFields(testClass, fixtures::add, field -> Modifier.isStatic(field.getModifiers())
				&& FerrySettings.Source.class.isAssignableFrom(field.getType()));
		return fixtures.isEmpty() ? null : new Customizer(testClass, fixtures);
	}

	/** One per test class: its fixture is its own. */
	private record Customizer(Class<?> testClass, List<Field> fixtures) implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
			FerrySettings settings = new FerrySettings();
			for (Field field : this.fixtures) {
				ReflectionUtils.makeAccessible(field);
				Object fixture = ReflectionUtils.getField(field, null);
				if (fixture == null) {
					throw new IllegalStateException("Fixture " + field + " is null when the context starts");
				}
				settings.with(((FerrySettings.Source) fixture).settings());
			}
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("fixture of " + this.testClass.getSimpleName(),
						Map.copyOf(settings.asProperties())));
		}

	}

}
