# Ferry's image: one executable jar on a Java 25 JRE, with a JDK AOT cache for fast start-up.
# OpenShift builds it with openshift/build.yaml (Docker strategy); locally:
#   docker build -t ferry .   or   podman build -t ferry .
# It needs no Docker engine at run time, and runs under OpenShift's arbitrary UID (group 0).

# ---------------------------------------------------------------- build
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
# the poms first: the dependency download stays cached while only sources change
COPY mvnw ./
COPY .mvn/ .mvn/
COPY pom.xml ./
COPY db/pom.xml db/
COPY batch-common/pom.xml batch-common/
COPY jobs/pom.xml jobs/
COPY demo/pom.xml demo/
COPY db/src/ db/src/
COPY batch-common/src/ batch-common/src/
COPY jobs/src/ jobs/src/
# Tests run in CI (bin/test), not in the image build: they need PostgreSQL, S3, SFTP and clamd.
# They are still compiled (-DskipTests, not -Dmaven.test.skip) because jobs depends on
# batch-common's test-jar in test scope.
RUN ./mvnw -B -q -DskipTests -Dspring-javaformat.skip=true -pl jobs -am package \
	&& cp jobs/target/ferry.jar /tmp/ferry.jar

# ---------------------------------------------------------------- runtime
FROM eclipse-temurin:25-jre

LABEL org.opencontainers.image.title="Ferry" \
	org.opencontainers.image.description="Scheduled, restartable Spring Batch jobs that move regulated data: PostgreSQL to S3, S3 to Ceph, SFTP through ClamAV to S3" \
	org.opencontainers.image.licenses="Apache-2.0" \
	io.k8s.display-name="Ferry" \
	io.openshift.tags="batch,spring-batch,java"

WORKDIR /opt/ferry
COPY --from=build /tmp/ferry.jar /opt/ferry/ferry.jar

# JDK AOT cache (JEP 483/514/515): a training run records which classes Ferry loads and links
# and how its methods are profiled, and writes them to ferry.aot; every later start maps the
# cache instead of loading, parsing and linking those classes again. It must be created with
# this JDK and this jar at this path, which is why it is made here and not on a developer's
# machine.
# The training run starts the CLI and the Spring application against a repository that does
# not answer, so that Spring Boot, Spring Batch, Flyway, Hikari and the PostgreSQL driver are
# loaded before it ends with exit code 6 ("could not connect"); `ferry --help` alone would
# only train the CLI. Measured on a 2-core machine, `ferry history` against a real repository:
# about 8-9 s without a cache, 6.5-7 s with a --help cache, 4.6-5.7 s with this one.
# The cache only holds class metadata and profiles of Ferry's and the JDK's code: no
# configuration, no secrets.
RUN SPRING_DATASOURCE_URL=jdbc:postgresql://127.0.0.1:9/aot-training \
		java -XX:AOTCacheOutput=/opt/ferry/ferry.aot -jar /opt/ferry/ferry.jar jobs > /tmp/aot-training.log 2>&1; \
	code=$?; \
	if [ "$code" -ne 6 ] || [ ! -s /opt/ferry/ferry.aot ]; then \
		echo "AOT training run exited $code (expected 6: repository unreachable) or wrote no cache:"; \
		cat /tmp/aot-training.log; exit 1; \
	fi; \
	rm -f /tmp/aot-training.log \
	&& java -XX:AOTCache=/opt/ferry/ferry.aot -XX:AOTMode=on -jar /opt/ferry/ferry.jar --version \
	&& chgrp -R 0 /opt/ferry && chmod -R g=u,o-w /opt/ferry

# OpenShift runs the container with an arbitrary UID in group 0; elsewhere it runs as 1001.
# Ferry writes nothing to its own directory: temporary files go to /tmp.
USER 1001
ENV HOME=/tmp

# -XX:MaxRAMPercentage=75: the heap follows the pod's memory limit and leaves a quarter for
# metaspace, threads, direct buffers (S3 and gzip streams) and the AOT cache mapping.
# -XX:AOTCache: use the cache made above; with a different JDK or jar the JVM warns and starts
# without it (AOTMode=auto), so a stale cache never stops a job.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:AOTCache=/opt/ferry/ferry.aot", "-jar", "/opt/ferry/ferry.jar"]
CMD ["--help"]
