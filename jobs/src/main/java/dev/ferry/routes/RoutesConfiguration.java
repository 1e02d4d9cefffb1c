package dev.ferry.routes;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The route table, for {@code ferry routes} and the s3Egress job. Present in every
 * deployment: the table is part of the job repository's schema.
 */
@Configuration(proxyBeanMethods = false)
public class RoutesConfiguration {

	@Bean
	RouteTable routeTable(JdbcTemplate jdbcTemplate) {
		return new RouteTable(jdbcTemplate);
	}

}
