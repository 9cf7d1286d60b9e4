package dev.loupe.core.ingest;

import java.io.IOException;
import java.io.InputStream;

/** Reads one evidence format. Implementations stream: memory must not grow with the size of the input. */
public interface EvidenceReader {

	/** Short name shown to users and stored in provenance, e.g. "cloudtrail". */
	String format();

	/** Whether the first bytes of a (decompressed) file look like this format. */
	boolean accepts(String head);

	/** Reads all records; a bad record is reported to the sink and skipped, the rest is still read. */
	void read(InputStream in, String fileName, RecordSink sink) throws IOException;
}
