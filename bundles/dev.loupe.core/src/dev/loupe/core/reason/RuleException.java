package dev.loupe.core.reason;

/** A rule file could not be read or run; the message names the file. */
public class RuleException extends RuntimeException {
	private static final long serialVersionUID = 1L;

	public RuleException(String message, Throwable cause) {
		super(message, cause);
	}
}
