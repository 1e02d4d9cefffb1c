# syntax=docker/dockerfile:1
# Ferry's image: Ferry's extracted jar on a Java 25 JRE, with a JDK AOT cache for fast start-up.
# It runs under OpenShift's arbitrary UID (group 0) and writes only to /tmp.
#
# Two builds, one file:
# - OpenShift (openshift/build.yaml, Docker strategy), docker build or podman build, from the
#   repository alone: the build stage below compiles Ferry with Maven on BUILDER, the runtime
#   stage puts it on BASE.
#     docker build -t ferry .      podman build -t ferry .
#     podman build --build-arg BASE=registry.access.redhat.com/ubi9/openjdk-25-runtime -t ferry .
# - bin/image, with no Docker engine and no registry (CI, a laptop): Maven runs on the host, and
#   a directory laid out by bin/image-stage stands in for the build stage
#   (buildah bud --build-context build=DIR); BASE is a local image of Debian (debootstrap) and a
#   JRE made by jlink from the host's JDK 25. See README, "Container image".
# Whatever BASE is, it must put a Java 25 `java` on the PATH and know the user nobody; the
# image sets USER 1001 itself.
ARG BUILDER=eclipse-temurin:25-jdk
ARG BASE=eclipse-temurin:25-jre

# ---------------------------------------------------------------- build
FROM ${BUILDER} AS build
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
COPY bin/image-stage bin/
# Tests run in CI (bin/test), not in the image build: they need PostgreSQL, S3, SFTP and clamd.
# They are still compiled (-DskipTests, not -Dmaven.test.skip) because jobs depends on
# batch-common's test-jar in test scope, and the demo module (the AOT cache's training run
# below) runs that test kit's servers.
# bin/image-stage then lays out /out: app/, the jar extracted (Spring Boot's jarmode tools:
# ferry.jar with its libraries in lib/, the layout a JDK AOT cache works with; a cache made
# from the fat jar's nested jars does not cover the application's classes), and training/, the
# demo with its classpath. bin/image lays out the same directory on the host.
RUN ./mvnw -B -q -DskipTests -Dspring-javaformat.skip=true -pl jobs,demo -am package \
	&& bin/image-stage /out

# ---------------------------------------------------------------- runtime base
# BASE plus libdeflate, which table-dump's gzip uses through the FFM API for about half of
# zlib's CPU (Ferry falls back to zlib, and logs it, where it is missing). bin/image's base has
# it already; Debian and Ubuntu bases (eclipse-temurin) get libdeflate0 with apt; others (UBI:
# libdeflate is only in EPEL) go without.
FROM ${BASE} AS runtime-base
USER root
RUN if ldconfig -p 2>/dev/null | grep -q 'libdeflate\.so\.0'; then echo "libdeflate: in BASE"; \
	elif command -v apt-get >/dev/null; then \
		apt-get update && apt-get install -y --no-install-recommends libdeflate0 && rm -rf /var/lib/apt/lists/*; \
	else echo "libdeflate: not installed on this BASE, table-dump uses zlib"; fi

# ---------------------------------------------------------------- training
# JDK AOT cache (JEP 483/514/515): a training run records which classes Ferry loads and links
# and how its methods are profiled, and writes them to ferry.aot; every later start maps the
# cache instead of loading, parsing and linking those classes again. It must be made by this
# JRE with this jar at this path, which is why it is made on BASE, in /opt/ferry.
# The training run is a real one: the demo (demo/, bin/demo) starts PostgreSQL and S3Proxy
# from the test kit, loads its sample tables and runs `ferry run tableDump`, then
# `ferry run s3Mirror` of that dump, in one JVM under -XX:AOTCacheOutput (the jar's hidden
# `--aot-training` runs several command lines in one JVM), so that both jobs start from the cache. The demo comes from the build stage's training/ folder, only mounted
# (read-only) for this step; S3Proxy's class-data sharing archive, which the test kit writes
# beside its jar, is off for that reason. It runs as nobody: PostgreSQL refuses to run as root,
# and the test kit's way around that, a user namespace, is seldom allowed in a build container.
# Measured on a 2-core machine (bench/table-dump, with the options of the ENTRYPOINT): 2.3 s
# from exec to the first step of the job, against 8.3 s for the fat jar without a cache. The
# cache holds class metadata and method profiles of Ferry's and the JDK's code: no
# configuration, no data, no secrets.
# Only /opt/ferry leaves this stage: none of the demo, its servers or its state, nor the
# layers of the ownership changes, are in the image.
FROM runtime-base AS trained
USER root
COPY --from=build /out/app/ /opt/ferry/
RUN mkdir -p /tmp/aot-training && chown nobody /opt/ferry /tmp/aot-training
USER nobody
RUN --mount=type=bind,from=build,source=/out/training,target=/tmp/aot-kit \
	cd /tmp/aot-kit \
	&& HOME=/tmp/aot-training java -Djava.io.tmpdir=/tmp/aot-training \
		-Dferry.testkit.s3proxy-jar=/tmp/aot-kit/s3proxy.jar -Dferry.testkit.s3proxy-cds=false \
		-cp "classes:$(cat classpath)" \
		dev.ferry.demo.FerryDemo --state /tmp/aot-training/state --jar /opt/ferry/ferry.jar \
		--train-aot-cache /opt/ferry/ferry.aot
# OpenShift's arbitrary UID is in group 0: it may do what the owner, root, may (the COPY below
# makes everything root's, group 0). Nothing in /opt/ferry is written at run time.
USER root
RUN chmod -R g=u,o-w /opt/ferry

# ---------------------------------------------------------------- runtime
FROM runtime-base

LABEL org.opencontainers.image.title="Ferry" \
	org.opencontainers.image.description="Scheduled, restartable Spring Batch jobs that move regulated data: PostgreSQL to S3, S3 to Ceph, SFTP through ClamAV to S3" \
	org.opencontainers.image.licenses="Apache-2.0" \
	io.k8s.display-name="Ferry" \
	io.openshift.tags="batch,spring-batch,java"

# one layer on runtime-base: the extracted jar and its AOT cache, modes and times as trained (COPY
# makes the directory itself with its default mode)
COPY --from=trained --chown=0:0 /opt/ferry/ /opt/ferry/
RUN chmod g=u,o-w /opt/ferry
WORKDIR /opt/ferry

# OpenShift runs the container with an arbitrary UID in group 0; elsewhere it runs as 1001.
# Ferry writes nothing to its own directory: temporary files go to /tmp.
USER 1001
ENV HOME=/tmp
# The cache must be usable here, by this JVM, with the jar as copied: -XX:AOTMode=on refuses to
# start otherwise (a cache that does not match is otherwise only a warning).
RUN java -XX:-UsePerfData -XX:TieredStopAtLevel=1 -XX:AOTCache=/opt/ferry/ferry.aot -XX:AOTMode=on \
	-jar /opt/ferry/ferry.jar --version

# -XX:MaxRAMPercentage=75: the heap follows the pod's memory limit and leaves a quarter for
# metaspace, threads, direct buffers (S3 and gzip streams) and the AOT cache mapping.
# -XX:TieredStopAtLevel=1: the client compiler only. A run is a short-lived batch process whose
# heavy lifting is native (deflate, sockets; SHA-256, MD5, HMAC and AES-GCM through the native
# crypto provider, FERRY_CRYPTO, since C1 has no intrinsics for them); C2 would spend seconds of CPU compiling while
# it competes with the dump for the pod's cores. Measured with bench/table-dump on 2 cores, 3
# runs each: 6 M rows in 15.5 s against 17.3 s with C2, 1.2 M rows in 6.4 s against 8.7 s, and
# about 100 MiB less resident memory. A container command without it turns C2 back on.
# -XX:AOTCache: use the cache made above; with a different JDK or jar the JVM warns and starts
# without it (AOTMode=auto), so a stale cache never stops a job.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:TieredStopAtLevel=1", "-XX:AOTCache=/opt/ferry/ferry.aot", "-jar", "/opt/ferry/ferry.jar"]
CMD ["--help"]
