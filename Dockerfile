# syntax=docker/dockerfile:1
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
COPY demo/src/ demo/src/
# Tests run in CI (bin/test), not in the image build: they need PostgreSQL, S3, SFTP and clamd.
# They are still compiled (-DskipTests, not -Dmaven.test.skip) because jobs depends on
# batch-common's test-jar in test scope, and the demo module (the AOT cache's training run
# below) runs that test kit's servers.
# The jar is then extracted (Spring Boot's jarmode tools): ferry.jar with its libraries in
# lib/, the layout a JDK AOT cache works with (a cache made from the fat jar's nested jars
# does not cover the application's classes).
RUN ./mvnw -B -q -DskipTests -Dspring-javaformat.skip=true -pl jobs,demo -am package \
	&& java -Djarmode=tools -jar jobs/target/ferry.jar extract --destination /tmp/app

# ---------------------------------------------------------------- runtime
FROM eclipse-temurin:25-jre

LABEL org.opencontainers.image.title="Ferry" \
	org.opencontainers.image.description="Scheduled, restartable Spring Batch jobs that move regulated data: PostgreSQL to S3, S3 to Ceph, SFTP through ClamAV to S3" \
	org.opencontainers.image.licenses="Apache-2.0" \
	io.k8s.display-name="Ferry" \
	io.openshift.tags="batch,spring-batch,java"

WORKDIR /opt/ferry
COPY --from=build /tmp/app/ /opt/ferry/

# JDK AOT cache (JEP 483/514/515): a training run records which classes Ferry loads and links
# and how its methods are profiled, and writes them to ferry.aot; every later start maps the
# cache instead of loading, parsing and linking those classes again. It must be made by this
# JRE with this jar at this path, which is why it is made here.
# The training run is a real one: the demo (demo/, bin/demo) starts PostgreSQL and S3Proxy
# from the build stage's test kit, loads its sample tables and runs `ferry run tableDump`
# once under -XX:AOTCacheOutput. The build stage is only mounted (read-only) for this step:
# none of the demo, its servers or its state stays in the image; S3Proxy's class-data sharing
# archive, which the test kit writes beside its jar, is off for that reason. Measured on a 2-core machine
# (bench/table-dump, with the options of the ENTRYPOINT): 2.3 s from exec to the first step of
# the job, against 8.3 s for the fat jar without a cache. The cache holds class metadata and
# method profiles of Ferry's and the JDK's code: no configuration, no data, no secrets.
RUN --mount=type=bind,from=build,source=/src,target=/src \
	--mount=type=bind,from=build,source=/root/.m2,target=/root/.m2 \
	mkdir -p /tmp/aot-training/tmp \
	&& java -Djava.io.tmpdir=/tmp/aot-training/tmp \
		-Dferry.testkit.s3proxy-jar=/src/demo/target/test-servers/s3proxy.jar -Dferry.testkit.s3proxy-cds=false \
		-cp "/src/demo/target/classes:$(cat /src/demo/target/demo.classpath)" \
		dev.ferry.demo.FerryDemo --state /tmp/aot-training/state --jar /opt/ferry/ferry.jar \
		--train-aot-cache /opt/ferry/ferry.aot \
	&& rm -rf /tmp/aot-training \
	&& java -XX:TieredStopAtLevel=1 -XX:AOTCache=/opt/ferry/ferry.aot -XX:AOTMode=on -jar /opt/ferry/ferry.jar --version \
	&& chgrp -R 0 /opt/ferry && chmod -R g=u,o-w /opt/ferry

# OpenShift runs the container with an arbitrary UID in group 0; elsewhere it runs as 1001.
# Ferry writes nothing to its own directory: temporary files go to /tmp.
USER 1001
ENV HOME=/tmp

# -XX:MaxRAMPercentage=75: the heap follows the pod's memory limit and leaves a quarter for
# metaspace, threads, direct buffers (S3 and gzip streams) and the AOT cache mapping.
# -XX:TieredStopAtLevel=1: the client compiler only. A run is a short-lived batch process whose
# heavy lifting is native (deflate, sockets, TLS); C2 would spend seconds of CPU compiling while
# it competes with the dump for the pod's cores. Measured with bench/table-dump on 2 cores, 3
# runs each: 6 M rows in 15.5 s against 17.3 s with C2, 1.2 M rows in 6.4 s against 8.7 s, and
# about 100 MiB less resident memory. A container command without it turns C2 back on.
# -XX:AOTCache: use the cache made above; with a different JDK or jar the JVM warns and starts
# without it (AOTMode=auto), so a stale cache never stops a job.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:TieredStopAtLevel=1", "-XX:AOTCache=/opt/ferry/ferry.aot", "-jar", "/opt/ferry/ferry.jar"]
CMD ["--help"]
