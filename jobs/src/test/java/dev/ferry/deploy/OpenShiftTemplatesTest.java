package dev.ferry.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenShift templates under {@code openshift/} against what Ferry reads: each file is
 * a template that parses, every environment variable and every secret file they hand to
 * Ferry is a property it binds (a misspelt one would be ignored without a word), each
 * CronJob gets every property its job cannot run without, and the names that tie the
 * objects together (ConfigMap, Secrets and their keys, volumes, PVCs, the ImageStream,
 * template parameters) agree.
 * <p>
 * Ferry's properties come from the configuration processor's metadata of this module
 * ({@code target/classes/META-INF/spring-configuration-metadata.json}); the Spring Boot
 * properties the templates may set are listed in {@link #SPRING_PROPERTIES}, and each of
 * them is checked against Spring Boot's own metadata. Below a map-valued property (such
 * as {@code ferry.s3-mirror.mirrors}, whose keys are the operator's names) the metadata
 * does not describe the values: what follows the key is checked against the components of
 * the map's value type, a record, and of the records it nests. Templates are read with
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

	/** What one mirror needs (the CronJob's MIRROR is {@code datahub}). */
	static final List<String> S3_MIRROR_REQUIRED = List.of("spring.datasource.url", "spring.datasource.username",
			"spring.datasource.password", "ferry.s3-mirror.mirrors.datahub.source.endpoint",
			"ferry.s3-mirror.mirrors.datahub.source.bucket", "ferry.s3-mirror.mirrors.datahub.source.access-key-id",
			"ferry.s3-mirror.mirrors.datahub.source.secret-access-key",
			"ferry.s3-mirror.mirrors.datahub.target.endpoint", "ferry.s3-mirror.mirrors.datahub.target.bucket",
			"ferry.s3-mirror.mirrors.datahub.target.access-key-id",
			"ferry.s3-mirror.mirrors.datahub.target.secret-access-key");

	/**
	 * What one routed egress source needs (the CronJob's SOURCE is {@code dumps}), with a
	 * target endpoint ({@code ceph}) and the directory root of DIRECTORY routes.
	 */
	static final List<String> S3_EGRESS_REQUIRED = List.of("spring.datasource.url", "spring.datasource.username",
			"spring.datasource.password", "ferry.s3-egress.sources.dumps.endpoint",
			"ferry.s3-egress.sources.dumps.bucket", "ferry.s3-egress.sources.dumps.access-key-id",
			"ferry.s3-egress.sources.dumps.secret-access-key", "ferry.s3-egress.targets.ceph.endpoint",
			"ferry.s3-egress.targets.ceph.access-key-id", "ferry.s3-egress.targets.ceph.secret-access-key",
			"ferry.s3-egress.directory-root");

	/** What one SFTP ingest source needs (the CronJob's SOURCE is {@code partnera}). */
	static final List<String> INGEST_REQUIRED = List.of("spring.datasource.url", "spring.datasource.username",
			"spring.datasource.password", "ferry.ingest.scanner.host", "ferry.ingest.scanner.port",
			"ferry.ingest.scanner.max-scan-size", "ferry.ingest.staging-dir", "ferry.ingest.sources.partnera.type",
			"ferry.ingest.sources.partnera.directories", "ferry.ingest.sources.partnera.sftp.host",
			"ferry.ingest.sources.partnera.sftp.user", "ferry.ingest.sources.partnera.sftp.private-key-file",
			"ferry.ingest.sources.partnera.sftp.known-hosts-file", "ferry.ingest.sources.partnera.target.endpoint",
			"ferry.ingest.sources.partnera.target.bucket", "ferry.ingest.sources.partnera.target.access-key-id",
			"ferry.ingest.sources.partnera.target.secret-access-key", "ferry.ingest.sources.partnera.quarantine-dir");

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

	/**
	 * The value type of each of Ferry's map-valued properties, by the map's property
	 * name.
	 */
	static Map<String, Class<?>> ferryMapValueTypes;

	static List<Template> templates;

	@BeforeAll
	static void readMetadataAndTemplates() throws IOException {
		assertThat(FERRY_METADATA).as("the configuration processor's output (it runs as jobs compiles)")
			.isRegularFile();
		String metadata = Files.readString(FERRY_METADATA);
		ferryProperties = new TreeSet<>(propertyNames(metadata));
		ferryMapProperties = new TreeSet<>(mapPropertyNames(metadata));
		ferryMapValueTypes = mapValueTypes(metadata);
		try (Stream<Path> files = Files.list(OPENSHIFT)) {
			// the READMEs and the Grafana dashboard (GrafanaDashboardTest) are not
			// templates
			templates = files
				.filter(file -> !file.getFileName().toString().endsWith(".md")
						&& !file.getFileName().toString().endsWith(".json"))
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
		// what follows the map's key is checked against the value type's components
		assertThat(unboundEnvironmentVariables(Set.of("FERRY_S3MIRROR_MIRRORS_datahub_SOURCE_BUCKET",
				"FERRY_S3MIRROR_MIRRORS_DATAHUB_SOURCE_BUKET",
				"FERRY_S3MIRROR_MIRRORS_DATAHUB_SOURCE_RETRY_MAXATTEMPTS",
				"FERRY_S3MIRROR_MIRRORS_DATAHUB_ENCRYPTION_KMSKEYID",
				"FERRY_INGEST_SOURCES_PARTNERA_SFTP_KNOWNHOSTSFILE", "FERRY_INGEST_SOURCES_PARTNERA_SFTP_KNOWNHOST",
				"FERRY_S3EGRESS_SOURCES_DUMPS_BUCKET", "FERRY_S3EGRESS_TARGETS_CEPH_BUCKET")))
			.containsExactly("FERRY_INGEST_SOURCES_PARTNERA_SFTP_KNOWNHOST", "FERRY_S3EGRESS_TARGETS_CEPH_BUCKET",
					"FERRY_S3MIRROR_MIRRORS_DATAHUB_SOURCE_BUKET");
		assertThat(isProperty("ferry.ingest.sources.partner-a.target.secret-access-key")).isTrue();
		assertThat(isProperty("ferry.ingest.sources.partnera.target.secret-key")).isFalse();
		assertThat(isProperty("ferry.ingest.sources.partnera")).isFalse();
	}

	/**
	 * The templates write a mirror's or source's name into environment variable names as
	 * the operator gives it, in lower case ({@code FERRY_S3MIRROR_MIRRORS_datahub_...}):
	 * Spring Boot lower-cases every part of such a name, so it binds the map key
	 * {@code datahub} as {@code FERRY_S3MIRROR_MIRRORS_DATAHUB_...} does, and the same
	 * entry takes further properties from secret files (the configtree).
	 */
	@Test
	void aLowerCaseNameInAnEnvironmentVariableBindsTheMapKeyAsAnUpperCaseOneDoes() throws Exception {
		MutablePropertySources sources = new MutablePropertySources();
		sources.addLast(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
				Map.of("FERRY_S3MIRROR_MIRRORS_datahub_SOURCE_BUCKET", "in",
						"FERRY_S3MIRROR_MIRRORS_datahub_SOURCE_ENDPOINT", "https://s3.amazonaws.com",
						"FERRY_S3MIRROR_MIRRORS_BILLING_SOURCE_BUCKET", "billing-in",
						"FERRY_S3MIRROR_MIRRORS_BILLING_SOURCE_ENDPOINT", "https://s3.amazonaws.com",
						"FERRY_S3MIRROR_MIRRORS_BILLING_TARGET_BUCKET", "billing-out",
						"FERRY_S3MIRROR_MIRRORS_BILLING_TARGET_ENDPOINT", "http://rgw:7480")));
		sources.addLast(new MapPropertySource("configtree",
				Map.of("ferry.s3-mirror.mirrors.datahub.target.bucket", "out",
						"ferry.s3-mirror.mirrors.datahub.target.endpoint", "http://rgw:7480",
						"ferry.s3-mirror.mirrors.datahub.target.secret-access-key", "s3cr3t",
						"ferry.s3-mirror.mirrors.datahub.target.access-key-id", "key")));
		Class<?> type = Class.forName("dev.ferry.mirror.S3MirrorProperties");
		Object bound = new Binder(ConfigurationPropertySources.from(sources)).bind("ferry.s3-mirror", Bindable.of(type))
			.get();
		Method accessor = type.getMethod("mirrors");
		accessor.setAccessible(true);
		Map<?, ?> mirrors = (Map<?, ?>) accessor.invoke(bound);
		assertThat(mirrors.keySet()).extracting(String::valueOf).containsExactlyInAnyOrder("datahub", "billing");
		assertThat(mirrors.get("datahub").toString()).contains("bucket=in", "bucket=out", "accessKeyId=key")
			.doesNotContain("s3cr3t");
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
			.contains("build.yaml", "configmap.yaml", "secrets.yaml", "pvc.yaml", "cronjob-table-dump.yaml",
					"cronjob-s3-mirror.yaml", "cronjob-s3-egress.yaml", "cronjob-ingest.yaml",
					"cronjob-table-dump-indexed.yaml", "cronjob-s3-mirror-indexed.yaml", "cronjob-ingest-indexed.yaml");
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

	/**
	 * A ConfigMap is either environment variables (a container's {@code envFrom}) or
	 * files (a volume, such as clamd.conf), never both.
	 */
	@Test
	void everyConfigMapIsLoadedAsEnvironmentOrMountedAsFiles() {
		Set<String> asEnvironment = new TreeSet<>(environmentConfigMaps());
		Set<String> asFiles = new TreeSet<>();
		for (Map<String, Object> cronJob : objectsOfKind("CronJob")) {
			maps(podSpec(cronJob).get("volumes"))
				.forEach(volume -> asFiles.addAll(names(map(volume.get("configMap")).get("name"))));
		}
		assertThat(asEnvironment).doesNotContainAnyElementsOf(asFiles);
		assertThat(objectsOfKind("ConfigMap")).extracting(OpenShiftTemplatesTest::name)
			.allMatch(name -> asEnvironment.contains(name) || asFiles.contains(name));
	}

	@Test
	void everyKeyOfAConfigMapIsTheEnvironmentVariableOfAProperty() {
		List<Map<String, Object>> configMaps = objectsOfKind("ConfigMap").stream()
			.filter(configMap -> environmentConfigMaps().contains(name(configMap)))
			.toList();
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

	static Stream<List<Object>> cronJobsAndWhatTheirJobsRequire() {
		return Stream.of(
				List.of("ferry-table-dump", List.of("run", "tableDump", "tables=$(TABLES)"), TABLE_DUMP_REQUIRED),
				List.of("ferry-s3-mirror-datahub", List.of("run", "s3Mirror", "mirror=$(MIRROR)"), S3_MIRROR_REQUIRED),
				List.of("ferry-s3-egress-dumps", List.of("run", "s3Egress", "source=$(SOURCE)"), S3_EGRESS_REQUIRED),
				List.of("ferry-ingest-partnera", List.of("run", "ingest", "source=$(SOURCE)"), INGEST_REQUIRED),
				List.of("ferry-table-dump-indexed", indexed("run", "tableDump", "tables=$(TABLES)"),
						TABLE_DUMP_REQUIRED),
				List.of("ferry-s3-mirror-datahub-indexed", indexed("run", "s3Mirror", "mirror=$(MIRROR)"),
						S3_MIRROR_REQUIRED),
				List.of("ferry-ingest-partnera-indexed", indexed("run", "ingest", "source=$(SOURCE)"),
						INGEST_REQUIRED));
	}

	/** The arguments of an Indexed Job's pod: the job's, and its share. */
	static List<String> indexed(String... arguments) {
		List<String> all = new ArrayList<>(List.of(arguments));
		all.addAll(List.of("part=$(JOB_COMPLETION_INDEX)", "parts=$(PARTS)"));
		return all;
	}

	/**
	 * Every job that shares its work has an Indexed Job variant, and each such CronJob
	 * runs PARTS pods at once, one per index, hands each its index and the count as the
	 * {@code part} and {@code parts} parameters, and leaves retrying a failed index to
	 * Ferry.
	 */
	@Test
	void everyIndexedCronJobGivesEachPodItsIndexAndTheCount() {
		List<Map<String, Object>> indexed = objectsOfKind("CronJob").stream()
			.filter(cronJob -> "Indexed".equals(jobSpec(cronJob).get("completionMode")))
			.toList();
		assertThat(indexed).extracting(OpenShiftTemplatesTest::name)
			.containsExactlyInAnyOrder("ferry-table-dump-indexed", "ferry-s3-mirror-datahub-indexed",
					"ferry-ingest-partnera-indexed");
		for (Map<String, Object> cronJob : indexed) {
			Map<String, Object> job = jobSpec(cronJob);
			String parts = envValue(cronJob, "PARTS");
			assertThat(Integer.parseInt(parts)).as("PARTS of %s", name(cronJob)).isGreaterThan(1);
			assertThat(String.valueOf(job.get("completions"))).as("completions of %s", name(cronJob)).isEqualTo(parts);
			assertThat(String.valueOf(job.get("parallelism"))).as("parallelism of %s", name(cronJob)).isEqualTo(parts);
			assertThat(job).as(name(cronJob))
				.containsEntry("backoffLimitPerIndex", 0)
				.doesNotContainKey("backoffLimit");
			Map<String, Object> container = containersOf(cronJob).getFirst();
			assertThat(list(container.get("args"))).as("args of %s", name(cronJob))
				.endsWith("part=$(JOB_COMPLETION_INDEX)", "parts=$(PARTS)");
			Map<String, Object> index = maps(container.get("env")).stream()
				.filter(env -> "JOB_COMPLETION_INDEX".equals(env.get("name")))
				.findFirst()
				.orElseThrow();
			assertThat(map(map(index.get("valueFrom")).get("fieldRef"))).containsEntry("fieldPath",
					"metadata.annotations['batch.kubernetes.io/job-completion-index']");
			assertThat(map(cronJob.get("spec"))).containsEntry("concurrencyPolicy", "Forbid");
		}
	}

	static Map<String, Object> jobSpec(Map<String, Object> cronJob) {
		return map(map(map(cronJob.get("spec")).get("jobTemplate")).get("spec"));
	}

	/**
	 * Every CronJob's container gets every property its job cannot run without, from the
	 * ConfigMaps it loads, its env and the secret files mounted for it; compared as
	 * environment variables, whose names Spring Boot reads in any case (a mirror's name
	 * in a secret file's name and in a variable's name must agree).
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("cronJobsAndWhatTheirJobsRequire")
	@SuppressWarnings("unchecked")
	void aCronJobGetsEveryPropertyItsJobRequires(List<Object> cronJobAndRequired) {
		Map<String, Object> cronJob = objectNamed("CronJob", (String) cronJobAndRequired.get(0));
		Map<String, Object> container = containersOf(cronJob).getFirst();
		assertThat(list(container.get("args"))).isEqualTo(cronJobAndRequired.get(1));
		Set<String> configured = new TreeSet<>();
		for (Map<String, Object> envFrom : maps(container.get("envFrom"))) {
			String configMapName = (String) map(envFrom.get("configMapRef")).get("name");
			map(objectNamed("ConfigMap", configMapName).get("data")).keySet()
				.forEach(key -> configured.add(key.toUpperCase(Locale.ROOT)));
		}
		envNames(container).forEach(name -> configured.add(name.toUpperCase(Locale.ROOT)));
		for (Map<String, Object> secret : mountedSecrets(container)) {
			secretKeys(secret).forEach(key -> configured.add(environmentVariable(key)));
		}
		List<String> required = (List<String>) cronJobAndRequired.get(2);
		assertThat(configured).containsAll(required.stream().map(OpenShiftTemplatesTest::environmentVariable).toList());
	}

	/**
	 * The job parameter that names a mirror or source is the name its properties are
	 * configured under (the env the argument refers to holds it).
	 */
	@Test
	void theNamedJobsRunTheMirrorOrSourceTheirPropertiesAreFor() {
		assertThat(envValue(objectNamed("CronJob", "ferry-s3-mirror-datahub"), "MIRROR")).isEqualTo("datahub");
		assertThat(envValue(objectNamed("CronJob", "ferry-s3-egress-dumps"), "SOURCE")).isEqualTo("dumps");
		assertThat(envValue(objectNamed("CronJob", "ferry-ingest-partnera"), "SOURCE")).isEqualTo("partnera");
		assertThat(envValue(objectNamed("CronJob", "ferry-s3-mirror-datahub-indexed"), "MIRROR")).isEqualTo("datahub");
		assertThat(envValue(objectNamed("CronJob", "ferry-ingest-partnera-indexed"), "SOURCE")).isEqualTo("partnera");
	}

	/**
	 * One ingest template serves every type of source: the CronJob sets nothing that only
	 * an SFTP source takes (the key files' paths, a quarantine directory: a source with a
	 * quarantine bucket must not get one as well), and an s3 or local source, which has
	 * no SFTP Secret, still starts (the Secret's volume is optional).
	 */
	@ParameterizedTest
	@ValueSource(strings = { "ferry-ingest-partnera", "ferry-ingest-partnera-indexed" })
	void theIngestCronJobsServeEveryTypeOfSource(String cronJobName) {
		Map<String, Object> cronJob = objectNamed("CronJob", cronJobName);
		assertThat(maps(containersOf(cronJob).getFirst().get("env"))).extracting(env -> String.valueOf(env.get("name")))
			.noneMatch(name -> name.contains("_SFTP_") || name.endsWith("_QUARANTINEDIR")
					|| name.endsWith("_QUARANTINEBUCKET") || name.endsWith("_TYPE"));
		Map<String, Object> sftp = maps(podSpec(cronJob).get("volumes")).stream()
			.filter(volume -> "sftp".equals(volume.get("name")))
			.findFirst()
			.orElseThrow();
		assertThat(map(sftp.get("secret"))).containsEntry("optional", true);
	}

	/**
	 * clamd.conf has what Ferry's scanner check demands: alerts past its limits, limits
	 * of at least Ferry's max-scan-size, and a TCP socket on the loopback where Ferry
	 * looks for it; in the Indexed Job's pods too.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "ferry-ingest-partnera", "ferry-ingest-partnera-indexed" })
	void theIngestPodsClamdIsConfiguredAsFerryExpectsIt(String cronJobName) {
		Map<String, Object> cronJob = objectNamed("CronJob", cronJobName);
		Map<String, Object> ferry = containersOf(cronJob).getFirst();
		long maxScanSize = Long.parseLong(envValue(cronJob, "FERRY_INGEST_SCANNER_MAXSCANSIZE"));
		String conf = (String) map(objectNamed("ConfigMap", "ferry-clamd-partnera").get("data")).get("clamd.conf");
		Map<String, String> settings = new LinkedHashMap<>();
		conf.lines()
			.map(String::strip)
			.filter(line -> !line.isEmpty() && !line.startsWith("#"))
			.forEach(line -> settings.put(line.split("\\s+", 2)[0], line.split("\\s+", 2)[1]));
		assertThat(settings).containsEntry("AlertExceedsMax", "yes")
			.containsEntry("TCPAddr", "127.0.0.1")
			.containsEntry("TCPSocket", envValue(cronJob, "FERRY_INGEST_SCANNER_PORT"))
			.doesNotContainKeys("LocalSocket", "User");
		for (String limit : List.of("StreamMaxLength", "MaxFileSize", "MaxScanSize")) {
			assertThat(Long.parseLong(settings.get(limit))).as(limit).isGreaterThanOrEqualTo(maxScanSize);
		}
		assertThat(envValue(cronJob, "FERRY_INGEST_SCANNER_HOST")).isEqualTo("127.0.0.1");
		// a native sidecar: it runs beside ferry and ends with it, so the Job completes
		Map<String, Object> clamd = maps(podSpec(cronJob).get("initContainers")).getFirst();
		assertThat(clamd).containsEntry("restartPolicy", "Always").containsKey("startupProbe");
		assertThat(ferry).doesNotContainKey("restartPolicy");
	}

	@Test
	void theObjectsACronJobRefersToExistUnderTheirNames() {
		List<Map<String, Object>> cronJobs = objectsOfKind("CronJob");
		assertThat(cronJobs).isNotEmpty();
		for (Map<String, Object> cronJob : cronJobs) {
			Map<String, Object> pod = podSpec(cronJob);
			// its own account, without a token: Ferry never calls the Kubernetes API
			assertThat(pod).as("pod of %s", name(cronJob)).containsKey("serviceAccountName");
			Map<String, Object> account = objectNamed("ServiceAccount", (String) pod.get("serviceAccountName"));
			assertThat(account.get("automountServiceAccountToken")).as("token of %s", name(account)).isEqualTo(false);
			assertThat(pod.get("automountServiceAccountToken")).as("token in %s", name(cronJob)).isEqualTo(false);
			Set<String> volumes = new TreeSet<>();
			maps(pod.get("volumes")).forEach(volume -> volumes.add((String) volume.get("name")));
			for (Map<String, Object> container : allContainersOf(cronJob)) {
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
			// every Secret, ConfigMap and PVC a volume takes exists, optional or not
			for (Map<String, Object> volume : maps(pod.get("volumes"))) {
				for (Map<String, Object> source : maps(map(volume.get("projected")).get("sources"))) {
					objectNamed("Secret", (String) map(source.get("secret")).get("name"));
				}
				names(map(volume.get("secret")).get("secretName")).forEach(name -> objectNamed("Secret", name));
				names(map(volume.get("configMap")).get("name")).forEach(name -> objectNamed("ConfigMap", name));
				names(map(volume.get("persistentVolumeClaim")).get("claimName"))
					.forEach(name -> objectNamed("PersistentVolumeClaim", name));
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
		unbound.removeIf(OpenShiftTemplatesTest::bindsBelowAMap);
		return unbound;
	}

	/**
	 * Whether a property (a secret file's name) binds: one of Ferry's, one of
	 * {@link #SPRING_PROPERTIES}, or below one of Ferry's map-valued properties.
	 */
	static boolean isProperty(String name) {
		return ferryOrSpringProperties().contains(name) || bindsBelowAMap(environmentVariable(name));
	}

	/**
	 * Whether an environment variable (in any case) names a property of the value of one
	 * of Ferry's map-valued properties: the map's variable, one part for the key, then a
	 * property of the map's value type.
	 */
	static boolean bindsBelowAMap(String environmentVariable) {
		String name = environmentVariable.toUpperCase(Locale.ROOT);
		for (Map.Entry<String, Class<?>> map : ferryMapValueTypes.entrySet()) {
			String prefix = environmentVariable(map.getKey()) + "_";
			if (!name.startsWith(prefix)) {
				continue;
			}
			String rest = name.substring(prefix.length());
			int key = rest.indexOf('_');
			if (key > 0 && componentPaths(map.getValue(), "").contains(rest.substring(key + 1))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The properties of a record, as environment variable suffixes
	 * ({@code SOURCE_SECRETACCESSKEY}): each component, and those of the records it
	 * nests.
	 */
	static Set<String> componentPaths(Class<?> type, String prefix) {
		Set<String> paths = new TreeSet<>();
		RecordComponent[] components = type.getRecordComponents();
		Parameter[] parameters = canonicalConstructor(type, components).getParameters();
		for (int i = 0; i < components.length; i++) {
			RecordComponent component = components[i];
			// @Name gives the property another name than the component's
			Name name = parameters[i].getAnnotation(Name.class);
			String property = (name != null) ? name.value().replace("-", "") : component.getName();
			String path = prefix + property.toUpperCase(Locale.ROOT);
			paths.add(path);
			if (component.getType().isRecord()) {
				paths.addAll(componentPaths(component.getType(), path + "_"));
			}
		}
		return paths;
	}

	private static Constructor<?> canonicalConstructor(Class<?> type, RecordComponent[] components) {
		try {
			return type.getDeclaredConstructor(
					Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
		}
		catch (NoSuchMethodException ex) {
			throw new AssertionError("the canonical constructor of " + type, ex);
		}
	}

	/** The value type of each of Ferry's map-valued properties, by its name. */
	static Map<String, Class<?>> mapValueTypes(String metadataJson) {
		JsonNode metadata = JsonMapper.builder().build().readTree(metadataJson);
		Map<String, Class<?>> types = new LinkedHashMap<>();
		metadata.path("properties").forEach(property -> {
			String type = property.path("type").asString();
			if (type.startsWith("java.util.Map<")) {
				String valueType = type.substring(type.indexOf(',') + 1, type.length() - 1);
				try {
					types.put(property.path("name").asString(), Class.forName(valueType));
				}
				catch (ClassNotFoundException ex) {
					throw new AssertionError("the value type of " + property.path("name").asString(), ex);
				}
			}
		});
		return types;
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

	/** Init containers (and native sidecars) and containers. */
	static List<Map<String, Object>> allContainersOf(Map<String, Object> cronJob) {
		List<Map<String, Object>> containers = new ArrayList<>(maps(podSpec(cronJob).get("initContainers")));
		containers.addAll(containersOf(cronJob));
		return containers;
	}

	/** The names of the ConfigMaps that some container loads with envFrom. */
	static Set<String> environmentConfigMaps() {
		Set<String> names = new TreeSet<>();
		for (Map<String, Object> cronJob : objectsOfKind("CronJob")) {
			for (Map<String, Object> container : allContainersOf(cronJob)) {
				maps(container.get("envFrom"))
					.forEach(envFrom -> names.addAll(names(map(envFrom.get("configMapRef")).get("name"))));
			}
		}
		return names;
	}

	/** The value of an env entry of a CronJob's (first) container. */
	static String envValue(Map<String, Object> cronJob, String name) {
		return maps(containersOf(cronJob).getFirst().get("env")).stream()
			.filter(env -> name.equals(env.get("name")))
			.map(env -> String.valueOf(env.get("value")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no env " + name + " in " + name(cronJob)));
	}

	/** A name, if the node is one. */
	static List<String> names(Object node) {
		return (node instanceof String name) ? List.of(name) : List.of();
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
