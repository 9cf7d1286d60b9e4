package dev.loupe.core.reason;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.jena.graph.Node;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.rdf.model.Statement;
import org.apache.jena.vocabulary.RDF;

import dev.loupe.core.vocab.Loupe;

/**
 * A burst detector of the rule data (detectors-bursts.ttl): which calls it counts (by name, error code,
 * qualifier, user agent, or name prefix around the signals a principal already has), how many within what
 * window (or how many different APIs, or regions, they reached), and what its signal says.
 */
record BurstDetector(Node iri, List<String> names, List<String> errorCodes, List<String> qualifiers, List<String> prefixes, boolean distinct,
		boolean distinctRegions, Pattern userAgent, Pattern excludeUa, int count, Duration window, boolean successOnly, CodeSignals says) {

	static List<BurstDetector> from(Model data) {
		List<BurstDetector> out = new ArrayList<>();
		for (Resource d : data.listSubjectsWithProperty(RDF.type, data.wrapAsResource(Loupe.BurstDetector)).toList()) {
			Statement ex = d.getProperty(p(data, Loupe.burstExcludeUserAgent));
			Statement ua = d.getProperty(p(data, Loupe.burstUserAgent));
			Statement distinct = d.getProperty(p(data, Loupe.burstDistinctNames));
			Statement regions = d.getProperty(p(data, Loupe.burstDistinctRegions));
			Statement count = d.getProperty(p(data, Loupe.burstCount));
			Statement window = d.getProperty(p(data, Loupe.burstWindow));
			Statement success = d.getProperty(p(data, Loupe.successOnly));
			if (count == null || window == null) {
				throw new IllegalArgumentException("burst detector " + d.getURI() + " needs loupe:burstCount and loupe:burstWindow");
			}
			out.add(new BurstDetector(d.asNode(), strings(data, d, Loupe.burstEventName), strings(data, d, Loupe.burstErrorCode),
					strings(data, d, Loupe.burstQualifier), strings(data, d, Loupe.burstNamePrefix), distinct != null && distinct.getBoolean(),
					regions != null && regions.getBoolean(), ua == null ? null : Pattern.compile(ua.getString()), ex == null ? null : Pattern.compile(ex.getString()), count.getInt(),
					Duration.parse(window.getString()), success != null && success.getBoolean(), CodeSignals.of(data, d, "burst")));
		}
		// detectors that read the calls of principals with signals run last, so the other bursts count too
		out.sort(Comparator.comparing((BurstDetector d) -> !d.prefixes().isEmpty()).thenComparing(d -> d.says().detector().getURI()));
		return out;
	}

	private static org.apache.jena.rdf.model.Property p(Model m, Node n) {
		return m.createProperty(n.getURI());
	}

	private static List<String> strings(Model m, Resource d, Node property) {
		return d.listProperties(p(m, property)).mapWith(s -> s.getString()).toList();
	}

}
