package dev.ferry.tabledump;

import dev.ferry.common.s3.S3ClientFactory;
import software.amazon.awssdk.services.s3.S3Client;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The table-dump job: PostgreSQL tables to {@code <prefix>/<runDate>/<table>.csv.gz}.
 * Present when its target bucket is configured, so that a Ferry deployed for another job
 * does not need table-dump's settings.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "ferry.table-dump.target", name = "bucket")
@EnableConfigurationProperties(TableDumpProperties.class)
public class TableDumpConfiguration {

	/** The job's name on the command line and in the job repository. */
	public static final String JOB_NAME = "tableDump";

	@Bean(destroyMethod = "close")
	TableDumpTarget tableDumpTarget(TableDumpProperties properties) {
		S3Client client = new S3ClientFactory(properties.parallelism() + 2).create(properties.target());
		return new TableDumpTarget(client, properties.target(), properties.encryption());
	}

}
