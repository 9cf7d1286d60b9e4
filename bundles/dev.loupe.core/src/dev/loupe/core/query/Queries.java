package dev.loupe.core.query;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.apache.jena.query.ParameterizedSparqlString;
import org.apache.jena.shared.PrefixMapping;

/** Loupe's own query text lives in .rq/.ru files next to the code that runs it, never in Java strings. */
public final class Queries {
	public static final PrefixMapping PREFIXES = PrefixMapping.Factory.create()
			.setNsPrefix("loupe", "https://w3id.org/loupe/ontology#")
			.setNsPrefix("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#")
			.setNsPrefix("rdfs", "http://www.w3.org/2000/01/rdf-schema#")
			.setNsPrefix("xsd", "http://www.w3.org/2001/XMLSchema#")
			.setNsPrefix("prov", "http://www.w3.org/ns/prov#")
			.setNsPrefix("attack", "https://attack.mitre.org/")
			.setNsPrefix("det", "https://w3id.org/loupe/detector/")
			.setNsPrefix("rule", "https://w3id.org/loupe/rule/").lock();

	private Queries() {
	}

	/** Loads a query file stored beside {@code owner} in the bundle. */
	public static String text(Class<?> owner, String file) {
		try (InputStream in = owner.getResourceAsStream(file)) {
			if (in == null) {
				throw new IllegalStateException("query file " + file + " is missing from " + owner.getPackageName());
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		} catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	public static ParameterizedSparqlString parameterized(Class<?> owner, String file) {
		return new ParameterizedSparqlString(text(owner, file));
	}
}
