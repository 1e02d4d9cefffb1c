package dev.ferry.testjob;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.springframework.jdbc.core.JdbcTemplate;

/** A job repository as one text, for tests that search it for what must not be there. */
public final class RepositoryText {

	private RepositoryText() {
	}

	/** Every row of every BATCH_ and ferry_ table as text, execution contexts decoded. */
	public static String of(JdbcTemplate jdbc) {
		StringBuilder text = new StringBuilder();
		for (String table : jdbc.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema"
				+ " = 'public' AND (table_name LIKE 'batch_%' OR table_name LIKE 'ferry_%')", String.class)) {
			jdbc.queryForList("SELECT t::text FROM " + table + " t", String.class).forEach(text::append);
		}
		for (String context : jdbc.queryForList("SELECT short_context FROM batch_step_execution_context"
				+ " UNION ALL SELECT short_context FROM batch_job_execution_context", String.class)) {
			text.append(new String(Base64.getDecoder().decode(context), StandardCharsets.ISO_8859_1));
		}
		return text.toString();
	}

}
