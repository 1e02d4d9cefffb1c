package dev.ferry.common.batch;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.ferry.common.transfer.Digests;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The share of a run's work that one pod of a Kubernetes Indexed Job does:
 * {@code part=$(JOB_COMPLETION_INDEX) parts=<completions>}, both identifying, so each pod
 * is a job instance of its own in the shared repository and a killed pod's share resumes
 * by running that index again. Without them a run does all of it ({@link #ALL}).
 * <p>
 * Two ways to share, both such that the shares of {@code part=0..parts-1} neither overlap
 * nor leave anything out:
 * <ul>
 * <li>{@link #of(List)}: a list known up front (table-dump's tables) by position, pod
 * {@code i} taking positions {@code i, i + parts, i + 2 parts...};</li>
 * <li>{@link #includes(String)}: things not known up front (the mirror's keys, ingest's
 * files) by name, pod {@code i} taking the names whose hash is {@code i} modulo
 * {@code parts}. The hash is the first four bytes of the MD5 of the name's UTF-8 bytes,
 * read as an unsigned big-endian number: stable across processes, JVMs and versions, and
 * the same in PostgreSQL ({@link #sqlCondition(String)}), so a work queue in the database
 * can be shared by the same rule.</li>
 * </ul>
 * Thread-safe: immutable.
 *
 * @param part this pod's index, from 0
 * @param parts how many pods share the work
 */
public record JobShare(int part, int parts) {

	/** The job parameter of the pod's index. */
	public static final String PART = "part";

	/** The job parameter of the number of pods. */
	public static final String PARTS = "parts";

	/** The optional parameters of a job that can be shared. */
	public static final Set<String> PARAMETERS = Set.of(PART, PARTS);

	/** All of the work: a run without {@code part} and {@code parts}. */
	public static final JobShare ALL = new JobShare(0, 1);

	public JobShare {
		if (parts < 1 || part < 0 || part >= parts) {
			throw new IllegalArgumentException(
					"part must be 0 to parts - 1 and parts at least 1, not part=" + part + " parts=" + parts);
		}
	}

	/**
	 * The share the parameters name.
	 * @throws IllegalArgumentException when only one of the two is given, or they are not
	 * a part below a positive count
	 */
	public static JobShare of(JobParameters parameters) {
		JobParameter<?> part = parameters.getParameter(PART);
		JobParameter<?> parts = parameters.getParameter(PARTS);
		if (part == null && parts == null) {
			return ALL;
		}
		if (part == null || parts == null) {
			throw new IllegalArgumentException(
					"give both part and parts (part=$(JOB_COMPLETION_INDEX) parts=<completions>), or neither");
		}
		return new JobShare(number(part, PART), number(parts, PARTS));
	}

	/**
	 * Refuses a share that is not one, as a usage error before anything runs.
	 */
	public static void validate(JobParameters parameters) throws InvalidJobParametersException {
		try {
			of(parameters);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidJobParametersException(ex.getMessage());
		}
	}

	private static int number(JobParameter<?> parameter, String name) {
		try {
			return Integer.parseInt(String.valueOf(parameter.value()).strip());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(name + " must be a whole number, not '" + parameter.value() + "'", ex);
		}
	}

	/** Whether this is all of the work (no sharing). */
	public boolean all() {
		return this.parts == 1;
	}

	/** This share of a list, in the list's order. */
	public <T> List<T> of(List<T> items) {
		List<T> share = new ArrayList<>();
		for (int i = this.part; i < items.size(); i += this.parts) {
			share.add(items.get(i));
		}
		return share;
	}

	/** Whether a name (a key, a path) is in this share. */
	public boolean includes(String name) {
		return all() || hash(name) % this.parts == this.part;
	}

	/**
	 * A PostgreSQL condition that holds for the rows whose text column is in this share,
	 * exactly those {@link #includes(String)} accepts (the database's encoding being
	 * UTF-8): {@code true} for all of the work.
	 * @param column the column, as SQL (trusted: never user input)
	 */
	public String sqlCondition(String column) {
		if (all()) {
			return "true";
		}
		return "(('x' || substr(md5(" + column + "), 1, 8))::bit(32)::bigint % " + this.parts + ") = " + this.part;
	}

	/** The first four bytes of the MD5 of the name's UTF-8 bytes, unsigned. */
	static long hash(String name) {
		return Integer
			.toUnsignedLong(ByteBuffer.wrap(Digests.md5().digest(name.getBytes(StandardCharsets.UTF_8))).getInt());
	}

	@Override
	public String toString() {
		return all() ? "all" : "part " + this.part + " of " + this.parts;
	}

	/** For messages: nothing, or " (part 1 of 3)". */
	public String describe() {
		return all() ? "" : " (" + this + ")";
	}

}
