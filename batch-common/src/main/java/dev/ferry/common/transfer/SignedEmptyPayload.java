package dev.ferry.common.transfer;

import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;

/**
 * A request plugin for writes of zero bytes (folder markers such as {@code k/}, empty
 * flags): the AWS SDK sends a PutObject body as signed aws-chunked encoding, and Ceph RGW
 * 16 answers an empty one with {@code 400 XAmzContentSHA256Mismatch}. With this plugin
 * the request is signed over its (empty) payload instead, which every store takes. Other
 * writes keep the SDK's streaming signature, which reads a body once.
 */
public final class SignedEmptyPayload {

	private static final SdkPlugin PLUGIN = configuration -> {
		S3ServiceClientConfiguration.Builder s3 = (S3ServiceClientConfiguration.Builder) configuration;
		S3AuthSchemeProvider defaults = s3.authSchemeProvider();
		s3.authSchemeProvider(parameters -> defaults.resolveAuthScheme(parameters)
			.stream()
			.map(option -> option.toBuilder()
				.putSignerProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, false)
				.putSignerProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true)
				.build())
			.toList());
	};

	private SignedEmptyPayload() {
	}

	/** The plugin, for the override configuration of one request. */
	public static SdkPlugin plugin() {
		return PLUGIN;
	}

}
