package dev.loupe.cli;

import java.nio.file.Files;

import dev.loupe.core.query.QueryService;
import dev.loupe.core.store.EvidenceStore;

/** `loupe query [--store DIR] [--format table|csv|tsv|json] (SPARQL | --file Q.rq)` */
final class QueryCommand implements Cli.Command {
	private static final long TIMEOUT_SECONDS = 300;

	@Override
	public String help() {
		return Messages.helpQuery;
	}

	@Override
	public int run(Options o, Cli cli) throws Exception {
		if (o.file != null && !o.positional.isEmpty()) {
			throw new Options.UsageException(Messages.errorQueryBoth);
		}
		if (o.file == null && o.positional.size() != 1) {
			throw new Options.UsageException(Messages.errorQueryMissing);
		}
		String sparql = o.file != null ? Files.readString(o.file) : o.positional.get(0);
		QueryService.Format format = QueryService.Format.parse(o.format == null ? "table" : o.format);
		try (EvidenceStore store = cli.openStore(o)) {
			long rows = new QueryService(store, TIMEOUT_SECONDS).run(sparql, format, cli.out);
			cli.out.flush();
			if (format == QueryService.Format.TABLE) {
				cli.err.println(Messages.bind(Messages.queryRows, rows));
			}
			return Cli.OK;
		}
	}
}
