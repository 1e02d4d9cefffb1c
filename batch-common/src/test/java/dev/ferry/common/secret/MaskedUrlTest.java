package dev.ferry.common.secret;

import java.net.URI;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class MaskedUrlTest {

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			textBlock = """
					jdbc:postgresql://db:5432/app?password=not-a-secret&ssl=true | jdbc:postgresql://db:5432/app?password=***&ssl=true
					jdbc:postgresql://db/app?user=u&PASSWORD=not-a-secret | jdbc:postgresql://db/app?user=u&PASSWORD=***
					jdbc:postgresql://db/app?sslpassword=k&sslmode=require | jdbc:postgresql://db/app?sslpassword=***&sslmode=require
					jdbc:postgresql://u:not-a-secret@db/app | jdbc:postgresql://u:***@db/app
					https://minio:not-a-secret@s3.internal:9000 | https://minio:***@s3.internal:9000
					http://rgw.internal:7480/?X-Amz-Signature=abc&X-Amz-Credential=AKIA/x | http://rgw.internal:7480/?X-Amz-Signature=***&X-Amz-Credential=***
					https://hooks.example/x?token=not-a-token&access_key=ak | https://hooks.example/x?token=***&access_key=***
					jdbc:postgresql://db:5432/app?ApplicationName=ferry | jdbc:postgresql://db:5432/app?ApplicationName=ferry
					http://user@host:7480/path | http://user@host:7480/path
					""")
	void secretsInUserInfoAndQueryParametersAreMasked(String url, String masked) {
		assertThat(MaskedUrl.of(url)).isEqualTo(masked);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			https://access:not-a-secret$x@s3.example.com | https://access:***@s3.example.com
			http://127.0.0.1:7480 | http://127.0.0.1:7480
			""")
	void anEndpointUriIsMaskedToo(String uri, String masked) {
		assertThat(MaskedUrl.of(URI.create(uri))).isEqualTo(masked);
	}

}
