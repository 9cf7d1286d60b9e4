package dev.loupe.core.query;

/** A query that is malformed or asks for something Loupe does not allow (remote SERVICE, FROM a URL). */
public class UntrustedQueryException extends RuntimeException {
	private static final long serialVersionUID = 1L;

	public UntrustedQueryException(String message) {
		super(message);
	}
}
