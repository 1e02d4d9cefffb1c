package dev.ferry.testjob;

import dev.ferry.common.s3.S3Location;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * An S3 target bound the way real jobs bind theirs, so that the start-up checks of an
 * {@link S3Location} are tested through Ferry's real start-up path.
 *
 * @param target where the test job would write
 */
@Validated
@ConfigurationProperties("ferry.test-job")
public record TestJobTargetProperties(@Valid @NotNull S3Location target) {

}
