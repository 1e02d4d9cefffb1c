package dev.ferry.tabledump;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.ferry.common.s3.S3Target;
import dev.ferry.common.transfer.StoredObject;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import org.springframework.batch.core.job.DefaultJobKeyGenerator;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The folder one run date's dumps go to, {@code <prefix>/<runDate>/}, as one job instance
 * writes it: {@code
 *
<table>
 * .csv.gz} per table (see {@link TableName#objectName()}), its own
 * {@code manifest-<instance>.json}, and the shared {@code pipeline_success.flag}. Several
 * instances may share a folder (two CronJobs with other tables, say): every object
 * carries the identity of the instance that wrote it ({@code x-amz-meta-ferry-instance}:
 * the job's name and Spring Batch's key of its identifying parameters), and an instance
 * never overwrites an object another one wrote.
 */
final class DumpFolder {

	/** User metadata naming the job instance that wrote an object. */
	static final String OWNER = "ferry-instance";

	/** User metadata with that instance's id in the job repository, for messages. */
	static final String OWNER_ID = "ferry-instance-id";

	static final String FLAG = "pipeline_success.flag";

	private final S3Target target;

	private final String runDate;

	private final String owner;

	private final long instanceId;

	DumpFolder(S3Target target, String runDate, JobInstance instance, JobParameters parameters) {
		this.target = target;
		this.runDate = runDate;
		this.owner = instance.getJobName() + "/" + new DefaultJobKeyGenerator().generateKey(parameters);
		this.instanceId = instance.getInstanceId();
	}

	/** Where a table's dump goes, whoever writes it. */
	static String tableKey(S3Target target, String runDate, TableName table) {
		return target.location().key(runDate + "/" + table.objectName() + ".csv.gz");
	}

	String tableKey(TableName table) {
		return tableKey(this.target, this.runDate, table);
	}

	String manifestKey() {
		return key("manifest-" + this.instanceId + ".json");
	}

	String flagKey() {
		return key(FLAG);
	}

	/** An object of this folder, written with this instance's identity. */
	StoredObject object(String key) {
		return new StoredObject(this.target, key, Map.of(OWNER, this.owner, OWNER_ID, String.valueOf(this.instanceId)));
	}

	/**
	 * The keys among these that hold an object another job instance (or something other
	 * than Ferry) wrote, each with who wrote it: what this instance must not overwrite.
	 */
	List<String> writtenByOthers(List<String> keys) {
		List<String> conflicts = new ArrayList<>();
		for (String key : keys) {
			this.object(key).head().ifPresent(head -> {
				if (!this.owner.equals(head.metadata().get(OWNER))) {
					conflicts.add(this.target.uri(key) + " was written by " + writer(head));
				}
			});
		}
		return conflicts;
	}

	/** This instance, for messages. */
	String describe() {
		return "job instance " + this.instanceId + " (" + this.owner + ")";
	}

	private static String writer(HeadObjectResponse head) {
		String owner = head.metadata().get(OWNER);
		if (owner == null) {
			return "something other than a Ferry job instance";
		}
		String id = head.metadata().get(OWNER_ID);
		return "job instance " + ((id != null) ? id + " " : "") + "(" + owner + ")";
	}

	private String key(String name) {
		return this.target.location().key(this.runDate + "/" + name);
	}

}
