package dev.ferry.common.transfer;

import java.net.URI;
import java.util.Map;

import dev.ferry.common.s3.S3Location;
import dev.ferry.common.s3.S3Target;
import dev.ferry.common.s3.ServerSideEncryption;
import dev.ferry.common.s3.ServerSideEncryption.Algorithm;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A child process for {@link ResumableUploadCrashTest}: one job whose single step writes
 * two objects through two {@link ResumableUpload}s ({@link TwoUploadsTasklet}). Run again
 * with the same object names, it recovers the execution a SIGKILL left STARTED and
 * resumes it, as Ferry's runner does. Settings come from the environment
 * ({@code UPLOAD_*}), as a pod's would.
 */
@SpringBootApplication
public class TwoUploadsApplication {

	public static void main(String[] args) throws Exception {
		SpringApplication application = new SpringApplication(TwoUploadsApplication.class);
		application.setDefaultProperties(Map.of("spring.batch.job.enabled", "false", "spring.main.banner-mode", "off"));
		int exitCode;
		try (ConfigurableApplicationContext context = application.run()) {
			JobOperator operator = context.getBean(JobOperator.class);
			JobRepository repository = context.getBean(JobRepository.class);
			Job job = context.getBean(Job.class);
			JobParameters parameters = new JobParametersBuilder().addString("prefix", args[0]).toJobParameters();
			JobExecution last = repository.getLastJobExecution(job.getName(), parameters);
			if (last != null && last.getStatus().isRunning()) {
				operator.recover(last);
			}
			JobExecution execution = operator.start(job, parameters);
			System.out.println("Upload job ended " + execution.getStatus());
			exitCode = (execution.getStatus() == BatchStatus.COMPLETED) ? 0 : 1;
		}
		System.exit(exitCode);
	}

	@Bean(destroyMethod = "close")
	S3Target uploadTarget(Environment environment) {
		S3Location location = new S3Location(URI.create(environment.getRequiredProperty("UPLOAD_ENDPOINT")),
				"us-east-1", environment.getRequiredProperty("UPLOAD_BUCKET"), "", true,
				S3Location.ChecksumMode.WHEN_REQUIRED, environment.getRequiredProperty("UPLOAD_ACCESS_KEY"),
				environment.getRequiredProperty("UPLOAD_SECRET_KEY"));
		String kmsKey = environment.getProperty("UPLOAD_KMS_KEY_ID");
		ServerSideEncryption encryption = (kmsKey != null) ? new ServerSideEncryption(Algorithm.AWS_KMS, kmsKey)
				: ServerSideEncryption.none();
		return S3Target.open(location, encryption, "upload.target", "upload.encryption", 2);
	}

	@Bean
	Job twoUploads(JobRepository jobRepository, Step uploadTwoObjects) {
		return new JobBuilder("twoUploads", jobRepository).start(uploadTwoObjects).build();
	}

	@Bean
	Step uploadTwoObjects(JobRepository jobRepository, PlatformTransactionManager transactionManager,
			TwoUploadsTasklet twoUploadsTasklet) {
		return new StepBuilder("uploadTwoObjects", jobRepository).tasklet(twoUploadsTasklet, transactionManager)
			.stream(twoUploadsTasklet)
			.build();
	}

	@Bean
	@StepScope
	TwoUploadsTasklet twoUploadsTasklet(@Value("#{jobParameters['prefix']}") String prefix, S3Target uploadTarget,
			Environment environment) {
		return new TwoUploadsTasklet(uploadTarget, prefix, environment.getProperty("UPLOAD_PARTS", Integer.class, 5),
				environment.getProperty("UPLOAD_PART_DELAY_MS", Long.class, 0L));
	}

}
