package dev.ferry.tabledump;

import org.junit.jupiter.api.Test;

import org.springframework.batch.core.job.parameters.JobParametersBuilder;

import static org.assertj.core.api.Assertions.assertThat;

class TableShareTest {

	@Test
	void aPodDumpsItsShareOfTheListedTablesInTheirOrder() {
		JobParametersBuilder parameters = new JobParametersBuilder().addString("tables", "t1,t2,t3,t4,t5,t6,t7");
		assertThat(TableShare.tables(parameters.toJobParameters())).extracting(TableName::display)
			.containsExactly("t1", "t2", "t3", "t4", "t5", "t6", "t7");
		parameters.addString("part", "1").addString("parts", "3");
		assertThat(TableShare.tables(parameters.toJobParameters())).extracting(TableName::display)
			.containsExactly("t2", "t5");
	}

}
