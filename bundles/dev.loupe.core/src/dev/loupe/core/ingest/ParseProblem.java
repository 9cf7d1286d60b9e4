package dev.loupe.core.ingest;

/**
 * One thing in a file that could not be read: where (file, line, column, record index; 0 when unknown) and
 * what was expected instead.
 */
public record ParseProblem(String file, long line, long column, long record, String message) {

	@Override
	public String toString() {
		StringBuilder sb = new StringBuilder(file);
		if (line > 0) {
			sb.append(':').append(line);
			if (column > 0) {
				sb.append(':').append(column);
			}
		}
		if (record > 0) {
			sb.append(": record ").append(record);
		}
		return sb.append(": ").append(message).toString();
	}
}
