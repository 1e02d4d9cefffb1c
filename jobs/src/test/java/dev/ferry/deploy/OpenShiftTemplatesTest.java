package dev.ferry.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenShift templates under {@code openshift/} against what Ferry reads: each file is
 * a template that parses, every environment variable and every secret file they hand to
 * Ferry is a property it binds (a misspelt one would be ignored without a word), a
 * table-dump CronJob gets every property the job cannot run without, and the names that
 * tie the objects together (ConfigMap, Secrets and their keys, volumes, the ImageStream,
 * template parameters) agree.
 * <p>
 * Ferry's properties come from the configuration processor's metadata of this module
 * ({@code target/classes/META-INF/spring-configuration-metadata.json}); the Spring Boot
 * properties the templates may set are listed in {@link #SPRING_PROPERTIES}, and each of
 * them is checked against Spring Boot's own metadata. Below a map-valued property (such
 * as {@code ferry.s3-mirror.mirrors}, whose keys are the operator's names) only the map's
 * prefix is checked: the metadata does not describe its values. Templates are read with
 * their parameters' default values, as {@code oc process} would fill them in; a required
 * parameter without one stands as {@code <NAME>}.
 */
class OpenShiftTemplatesTest {

	static final Path OPENSHIFT = Path.of("../openshift");

	static final Path FERRY_METADATA = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

	/**
	 * Spring Boot's own properties that the templates (or an operator, as the READMEs
	 * suggest) may set.
	 */
	static final Set<String> SPRING_PROPERTIES = Set.of("spring.datasource.url", "spring.datasource.username",
			"spring.datasource.password", "logging.structured.format.console",
			"management.prometheus.metrics.export.pushgateway.enabled",
			"management.prometheus.metrics.export.pushgateway.address",
			"management.prometheus.metrics.export.pushgateway.scheme",
			"management.prometheus.metrics.export.pushgateway.username",
			"management.prometheus.metrics.export.pushgateway.password",
			"management.prometheus.metrics.export.pushgateway.token",
			"management.prometheus.metrics.export.pushgateway.job",
			"management.prometheus.metrics.export.pushgateway.push-rate",
			"management.prometheus.metrics.export.pushgateway.shutdown-operation",
			"management.prometheus.metrics.export.pushgateway.format");

	/** What a table dump cannot run without (the rest has defaults). */
	static final List<String> TABLE_DUMP_REQUIRED = List.of("spring.datasource.url", "spring.datasource.username",
			"spring.datasource.password", "ferry.table-dump.source.url", "ferry.table-dump.source.username",
			"ferry.table-dump.source.password", "ferry.table-dump.target.endpoint", "ferry.table-dump.target.bucket",
			"ferry.table-dump.target.access-key-id", "ferry.table-dump.target.secret-access-key");

	/**
	 * Where Ferry reads secret files (FERRY_SECRETS_DIR's default, Spring's configtree).
	 */
	static final String SECRETS_DIR = "/var/run/secrets/ferry";

	/** {@code ${NAME}} and {@code ${{NAME}}}: template parameters. */
	static final Pattern PARAMETER = Pattern.compile("\\$\\{\\{?([A-Za-z0-9_]+)}?}");

	/** {@code $(NAME)}: a container's reference to one of its environment variables. */
	static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\(([A-Za-z0-9_]+)\\)");

	static Set<String> ferryProperties;

	/** Ferry's properties whose values are maps: {@code <property>.<key>...} binds. */
	static Set<String> ferryMapProperties;

	static List<Template> templates;

	@BeforeAll
	static void readMetadataAndTemplates() throws IOException {
		assertThat(FERRY_METADATA).as("the configuration processor's output (it runs as jobs compiles)")
			.isRegularFile();
		String metadata = Files.readString(FERRY_METADATA);
		ferryProperties = new TreeSet<>(propertyNames(metadata));
		ferryMapProperties = new TreeSet<>(mapPropertyNames(metadata));
		try (Stream<Path> files = Files.list(OPENSHIFT)) {
			templates = files.filter(file -> !file.getFileName().toString().endsWith(".md"))
				.sorted()
				.map(Template::read)
				.toList();
		}
	}

	@Test
	void ferrysMetadataHasThePropertiesOfEveryJob() {
		assertThat(ferryProperties).contains("ferry.zone", "ferry.progress-interval", "ferry.table-dump.source.url",
				"ferry.table-dump.target.bucket", "ferry.table-dump.target.secret-access-key",
				"ferry.table-dump.encryption.algorithm");
	}

	@Test
	void environmentVariablesAndFilesBelowAMapPropertyBindToIt() {
		assertThat(ferryMapProperties).contains("ferry.s3-mirror.mirrors");
		assertThat(unboundEnvironmentVariables(
				Set.of("FERRY_S3MIRROR_MIRRORS_DATAHUB_SOURCE_BUCKET", "FERRY_S3MIRROR_MIRROR_DATAHUB_SOURCE_BUCKET")))
			.containsExactly("FERRY_S3MIRROR_MIRROR_DATAHUB_SOURCE_BUCKET");
		assertThat(isProperty("ferry.s3-mirror.mirrors.datahub.target.secret-access-key")).isTrue();
		assertThat(isProperty("ferry.s3-mirror.mirror.datahub.target.secret-access-key")).isFalse();
	}

	@Test
	void theSpringPropertiesTheTemplatesMaySetExistInSpringBoot() throws IOException {
		Set<String> springBoot = new TreeSet<>();
		for (URL url : Collections
			.list(getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				springBoot.addAll(propertyNames(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
			}
		}
		assertThat(springBoot).containsAll(SPRING_PROPERTIES);
	}

	@Test
	void everyFileUnderOpenshiftIsATemplateWithObjects() {
		assertThat(templates).extracting(Template::fileName)
			.contains("build.yaml", "configmap.yaml", "secrets.yaml", "cronjob-table-dump.yaml");
		for (Template template : templates) {
			assertThat(template.fileName()).as("a template file").matches(".*\\.ya?ml");
			assertThat(template.raw()).as(template.fileName()).containsEntry("kind", "Template");
			assertThat(template.objects()).as(template.fileName() + ": objects").isNotEmpty();
		}
	}

	@Test
	void everyParameterATemplateUsesIsDeclaredAndEveryDeclaredOneIsUsed() {
		for (Template template : templates) {
			Set<String> used = new TreeSet<>();
			walkStrings(template.raw().get("objects"), value -> {
				Matcher matcher = PARAMETER.matcher(value);
				while (matcher.find()) {
					used.add(matcher.group(1));
				}
			});
			assertThat(template.parameters().keySet()).as(template.fileName() + ": declared parameters")
				.containsExactlyInAnyOrderElementsOf(used);
		}
	}

	@Test
	void everyKeyOfAConfigMapIsTheEnvironmentVariableOfAProperty() {
		List<Map<String, Object>> configMaps = objectsOfKind("ConfigMap");
		assertThat(configMaps).isNotEmpty();
		for (Map<String, Object> configMap : configMaps) {
			Set<String> keys = map(configMap.get("data")).keySet();
			assertThat(keys).as("ConfigMap %s", name(configMap)).isNotEmpty();
			assertThat(unboundEnvironmentVariables(keys))
				.as("keys of ConfigMap %s that no property binds", name(configMap))
				.isEmpty();
		}
	}

	@Test
	void everyEnvironmentVariableOfAContainerIsAPropertyOrUsedInItsArguments() {
		List<Map<String, Object>> containers = containers();
		assertThat(containers).isNotEmpty();
		for (Map<String, Object> container : containers) {
			Set<String> referenced = envReferences(container);
			Set<String> names = new LinkedHashSet<>(envNames(container));
			names.removeAll(referenced);
			assertThat(unboundEnvironmentVariables(names))
				.as("env of container %s that no property binds (and no argument uses)", name(container))
				.isEmpty();
			assertThat(envNames(container)).as("env of container %s, for its $(...) references", name(container))
				.containsAll(referenced);
		}
	}

	@Test
	void everySecretFileMountedForFerryIsAProperty() {
		for (Map<String, Object> container : containers()) {
			for (Map<String, Object> secret : mountedSecrets(container)) {
				assertThat(secretKeys(secret))
					.as("keys of Secret %s, files in %s, that no property binds", name(secret), SECRETS_DIR)
					.filteredOn(key -> !isProperty(key))
					.isEmpty();
			}
		}
	}

	@Test
	void theTableDumpCronJobGetsEveryPropertyTheJobRequires() {
		Map<String, Object> cronJob = objectNamed("CronJob", "ferry-table-dump");
		Map<String, Object> container = containersOf(cronJob).getFirst();
		assertThat(list(container.get("args"))).containsExactly("run", "tableDump", "tables=$(TABLES)");
		Set<String> configured = new TreeSet<>();
		for (Map<String, Object> envFrom : maps(container.get("envFrom"))) {
			String configMapName = (String) map(envFrom.get("configMapRef")).get("name");
			configured.addAll(properties(map(objectNamed("ConfigMap", configMapName).get("data")).keySet()));
		}
		configured.addAll(properties(envNames(container)));
		for (Map<String, Object> secret : mountedSecrets(container)) {
			configured.addAll(secretKeys(secret));
		}
		assertThat(configured).containsAll(TABLE_DUMP_REQUIRED);
	}

	@Test
	void theObjectsACronJobRefersToExistUnderTheirNames() {
		List<Map<String, Object>> cronJobs = objectsOfKind("CronJob");
		assertThat(cronJobs).isNotEmpty();
		for (Map<String, Object> cronJob : cronJobs) {
			Map<String, Object> pod = podSpec(cronJob);
			Set<String> volumes = new TreeSet<>();
			maps(pod.get("volumes")).forEach(volume -> volumes.add((String) volume.get("name")));
			for (Map<String, Object> container : containersOf(cronJob)) {
				for (Map<String, Object> envFrom : maps(container.get("envFrom"))) {
					assertThat(envFrom).as("envFrom of %s", name(cronJob)).containsKey("configMapRef");
					objectNamed("ConfigMap", (String) map(envFrom.get("configMapRef")).get("name"));
				}
				for (Map<String, Object> env : maps(container.get("env"))) {
					Map<String, Object> secretRef = map(map(env.get("valueFrom")).get("secretKeyRef"));
					if (!secretRef.isEmpty()) {
						Map<String, Object> secret = objectNamed("Secret", (String) secretRef.get("name"));
						assertThat(secretKeys(secret)).as("keys of Secret %s, for %s", name(secret), env.get("name"))
							.contains((String) secretRef.get("key"));
					}
				}
				for (Map<String, Object> mount : maps(container.get("volumeMounts"))) {
					assertThat(volumes).as("volumes of %s", name(cronJob)).contains((String) mount.get("name"));
				}
				String image = (String) container.get("image");
				if (!image.contains("/")) {
					// an ImageStream tag of this namespace: the one build.yaml makes
					Template build = template("build.yaml");
					assertThat(image).isEqualTo(build.parameters().get("NAME") + ":" + build.parameters().get("TAG"));
					objectNamed("ImageStream", image.substring(0, image.indexOf(':')));
				}
			}
			// every Secret a projected volume takes exists, optional or not
			for (Map<String, Object> volume : maps(pod.get("volumes"))) {
				for (Map<String, Object> source : maps(map(volume.get("projected")).get("sources"))) {
					objectNamed("Secret", (String) map(source.get("secret")).get("name"));
				}
			}
		}
	}

	/**
	 * The environment variables of {@code names} that no property binds: neither one of
	 * Ferry's nor one of {@link #SPRING_PROPERTIES}.
	 */
	static Set<String> unboundEnvironmentVariables(Set<String> names) {
		Map<String, String> byVariable = environmentVariables();
		Set<String> unbound = new TreeSet<>(names);
		unbound.removeAll(byVariable.keySet());
		unbound.removeIf(
				name -> ferryMapProperties.stream().anyMatch(map -> name.startsWith(environmentVariable(map) + "_")));
		return unbound;
	}

	/**
	 * Whether a property (a secret file's name) binds: one of Ferry's, one of
	 * {@link #SPRING_PROPERTIES}, or below one of Ferry's map-valued properties.
	 */
	static boolean isProperty(String name) {
		return ferryOrSpringProperties().contains(name)
				|| ferryMapProperties.stream().anyMatch(map -> name.startsWith(map + "."));
	}

	/** The properties that environment variables bind; unknown ones are left out. */
	static Set<String> properties(Set<String> environmentVariables) {
		Map<String, String> byVariable = environmentVariables();
		Set<String> properties = new TreeSet<>();
		environmentVariables.stream().map(byVariable::get).filter(p -> p != null).forEach(properties::add);
		return properties;
	}

	/** Every known property by its environment variable. */
	static Map<String, String> environmentVariables() {
		Map<String, String> byVariable = new LinkedHashMap<>();
		ferryOrSpringProperties().forEach(property -> byVariable.put(environmentVariable(property), property));
		return byVariable;
	}

	/**
	 * Spring Boot's canonical environment variable of a property: dots become
	 * underscores, dashes go, upper case ({@code ferry.table-dump.target.path-style} is
	 * {@code FERRY_TABLEDUMP_TARGET_PATHSTYLE}).
	 */
	static String environmentVariable(String property) {
		return property.replace(".", "_").replace("-", "").toUpperCase(Locale.ROOT);
	}

	static Set<String> ferryOrSpringProperties() {
		Set<String> all = new TreeSet<>(ferryProperties);
		all.addAll(SPRING_PROPERTIES);
		return all;
	}

	static List<String> mapPropertyNames(String metadataJson) {
		JsonNode metadata = JsonMapper.builder().build().readTree(metadataJson);
		List<String> names = new ArrayList<>();
		metadata.path("properties").forEach(property -> {
			if (property.path("type").asString().startsWith("java.util.Map<")) {
				names.add(property.path("name").asString());
			}
		});
		return names;
	}

	static List<String> propertyNames(String metadataJson) {
		JsonNode metadata = JsonMapper.builder().build().readTree(metadataJson);
		List<String> names = new ArrayList<>();
		metadata.path("properties").forEach(property -> names.add(property.path("name").asString()));
		return names;
	}

	static Template template(String fileName) {
		return templates.stream()
			.filter(template -> template.fileName().equals(fileName))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no openshift/" + fileName));
	}

	static List<Map<String, Object>> objectsOfKind(String kind) {
		List<Map<String, Object>> objects = new ArrayList<>();
		for (Template template : templates) {
			template.objects().stream().filter(object -> kind.equals(object.get("kind"))).forEach(objects::add);
		}
		return objects;
	}

	static Map<String, Object> objectNamed(String kind, String name) {
		return objectsOfKind(kind).stream()
			.filter(object -> name.equals(name(object)))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + kind + " named '" + name + "' in openshift/ (there are "
					+ objectsOfKind(kind).stream().map(OpenShiftTemplatesTest::name).toList() + ")"));
	}

	static List<Map<String, Object>> containers() {
		List<Map<String, Object>> containers = new ArrayList<>();
		objectsOfKind("CronJob").forEach(cronJob -> containers.addAll(containersOf(cronJob)));
		objectsOfKind("Job")
			.forEach(job -> containers.addAll(maps(podSpecOfTemplate(job.get("spec")).get("containers"))));
		return containers;
	}

	static List<Map<String, Object>> containersOf(Map<String, Object> cronJob) {
		return maps(podSpec(cronJob).get("containers"));
	}

	static Map<String, Object> podSpec(Map<String, Object> cronJob) {
		return podSpecOfTemplate(map(map(cronJob.get("spec")).get("jobTemplate")).get("spec"));
	}

	static Map<String, Object> podSpecOfTemplate(Object jobSpec) {
		return map(map(map(jobSpec).get("template")).get("spec"));
	}

	/**
	 * The Secrets whose keys a container sees as files in {@link #SECRETS_DIR}: those of
	 * the secret or projected volume mounted there.
	 */
	static List<Map<String, Object>> mountedSecrets(Map<String, Object> container) {
		List<Map<String, Object>> secrets = new ArrayList<>();
		Map<String, Object> cronJob = objectsOfKind("CronJob").stream()
			.filter(candidate -> containersOf(candidate).contains(container))
			.findFirst()
			.orElseThrow();
		for (Map<String, Object> mount : maps(container.get("volumeMounts"))) {
			if (!SECRETS_DIR.equals(mount.get("mountPath"))) {
				continue;
			}
			for (Map<String, Object> volume : maps(podSpec(cronJob).get("volumes"))) {
				if (!mount.get("name").equals(volume.get("name"))) {
					continue;
				}
				Map<String, Object> single = map(volume.get("secret"));
				if (!single.isEmpty()) {
					secrets.add(objectNamed("Secret", (String) single.get("secretName")));
				}
				for (Map<String, Object> source : maps(map(volume.get("projected")).get("sources"))) {
					secrets.add(objectNamed("Secret", (String) map(source.get("secret")).get("name")));
				}
			}
		}
		return secrets;
	}

	static Set<String> secretKeys(Map<String, Object> secret) {
		Set<String> keys = new TreeSet<>(map(secret.get("stringData")).keySet());
		keys.addAll(map(secret.get("data")).keySet());
		return keys;
	}

	static Set<String> envNames(Map<String, Object> container) {
		Set<String> names = new LinkedHashSet<>();
		maps(container.get("env")).forEach(env -> names.add((String) env.get("name")));
		return names;
	}

	static Set<String> envReferences(Map<String, Object> container) {
		Set<String> referenced = new TreeSet<>();
		for (String key : List.of("command", "args")) {
			walkStrings(container.get(key), value -> {
				Matcher matcher = ENV_REFERENCE.matcher(value);
				while (matcher.find()) {
					referenced.add(matcher.group(1));
				}
			});
		}
		return referenced;
	}

	static String name(Map<String, Object> object) {
		Object metadata = object.get("metadata");
		return (String) ((metadata != null) ? map(metadata).get("name") : object.get("name"));
	}

	static void walkStrings(Object node, Consumer<String> action) {
		if (node instanceof String value) {
			action.accept(value);
		}
		else if (node instanceof Map<?, ?> map) {
			map.forEach((key, value) -> {
				walkStrings(key, action);
				walkStrings(value, action);
			});
		}
		else if (node instanceof List<?> list) {
			list.forEach(item -> walkStrings(item, action));
		}
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object node) {
		return (node instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of();
	}

	static List<Object> list(Object node) {
		return (node instanceof List<?> list) ? new ArrayList<>(list) : List.of();
	}

	static List<Map<String, Object>> maps(Object node) {
		return list(node).stream().map(OpenShiftTemplatesTest::map).toList();
	}

	/**
	 * One template file: as written, and its objects with every parameter replaced by its
	 * default value (or {@code <NAME>} where it has none).
	 */
	record Template(String fileName, Map<String, Object> raw, Map<String, String> parameters,
			List<Map<String, Object>> objects) {

		static Template read(Path file) {
			String text;
			try {
				text = Files.readString(file);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not read " + file, ex);
			}
			List<Object> documents = new ArrayList<>();
			new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(text).forEach(documents::add);
			assertThat(documents).as("%s: YAML documents", file).hasSize(1);
			Map<String, Object> raw = map(documents.getFirst());
			assertThat(raw).as("%s: a mapping", file).isNotEmpty();
			Map<String, String> parameters = new LinkedHashMap<>();
			for (Map<String, Object> parameter : maps(raw.get("parameters"))) {
				String name = (String) parameter.get("name");
				assertThat(name).as("%s: a parameter's name", file).isNotBlank();
				Object value = parameter.get("value");
				parameters.put(name, (value != null) ? String.valueOf(value) : "<" + name + ">");
			}
			List<Map<String, Object>> objects = maps(substitute(raw.get("objects"), parameters));
			return new Template(file.getFileName().toString(), raw, parameters, objects);
		}

		static Object substitute(Object node, Map<String, String> parameters) {
			if (node instanceof String value) {
				Matcher matcher = PARAMETER.matcher(value);
				return matcher.replaceAll(
						match -> Matcher.quoteReplacement(parameters.getOrDefault(match.group(1), match.group())));
			}
			if (node instanceof Map<?, ?> map) {
				Map<String, Object> result = new LinkedHashMap<>();
				map.forEach((key, value) -> result.put(String.valueOf(substitute(key, parameters)),
						substitute(value, parameters)));
				return result;
			}
			if (node instanceof List<?> list) {
				return list.stream().map(item -> substitute(item, parameters)).toList();
			}
			return node;
		}

	}

}
