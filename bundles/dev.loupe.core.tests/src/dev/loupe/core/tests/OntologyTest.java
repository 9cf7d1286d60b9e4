package dev.loupe.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.jena.graph.Node;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.rdf.model.ModelFactory;
import org.apache.jena.rdf.model.Resource;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.vocabulary.OWL;
import org.apache.jena.vocabulary.RDF;
import org.apache.jena.vocabulary.RDFS;
import org.junit.jupiter.api.Test;

import dev.loupe.core.vocab.Loupe;

/** loupe.ttl and the Java vocabulary agree, and every term is labelled and explained in English and Japanese. */
class OntologyTest {

	static Model ontology() throws Exception {
		Model m = ModelFactory.createDefaultModel();
		try (InputStream in = Loupe.class.getResourceAsStream("/ontology/loupe.ttl")) {
			RDFParser.source(in).lang(Lang.TURTLE).parse(m);
		}
		return m;
	}

	static Set<String> declaredTerms(Model m) {
		Set<String> terms = new TreeSet<>();
		for (Resource type : List.of(OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)) {
			m.listSubjectsWithProperty(RDF.type, type).forEach(r -> {
				if (r.isURIResource() && r.getURI().startsWith(Loupe.NS)) {
					terms.add(r.getURI());
				}
			});
		}
		return terms;
	}

	static Set<String> javaTerms() throws IllegalAccessException {
		Set<String> terms = new TreeSet<>();
		for (Field f : Loupe.class.getFields()) {
			if (Modifier.isStatic(f.getModifiers()) && f.getType() == Node.class) {
				String uri = ((Node) f.get(null)).getURI();
				if (uri.startsWith(Loupe.NS)) {
					terms.add(uri);
				}
			}
		}
		return terms;
	}

	@Test
	void javaVocabularyMatchesOntology() throws Exception {
		assertEquals(declaredTerms(ontology()), javaTerms());
	}

	@Test
	void everyTermHasEnglishAndJapaneseLabelAndComment() throws Exception {
		Model m = ontology();
		List<String> missing = new ArrayList<>();
		for (String t : declaredTerms(m)) {
			Resource r = m.getResource(t);
			for (var p : List.of(RDFS.label, RDFS.comment)) {
				for (String lang : List.of("en", "ja")) {
					boolean has = m.listObjectsOfProperty(r, p).toList().stream()
							.anyMatch(o -> o.isLiteral() && lang.equals(o.asLiteral().getLanguage()));
					if (!has) {
						missing.add(t + " " + p.getLocalName() + "@" + lang);
					}
				}
			}
		}
		assertTrue(missing.isEmpty(), "missing: " + missing);
	}

	@Test
	void ontologyHasVersionIri() throws Exception {
		Model m = ontology();
		assertTrue(m.listSubjectsWithProperty(RDF.type, OWL.Ontology).next().hasProperty(OWL2.versionIRI));
	}

	/**
	 * What OWL 2 DL tools (Protégé, the OWL API) need of a Turtle ontology: each term declared as exactly one
	 * kind of entity (no punning of a property as two kinds), and every domain and range a declared class or an
	 * XSD datatype (or rdfs:Literal, for values such as xsd:dayTimeDuration outside the OWL 2 datatype map).
	 */
	@Test
	void owl2DeclarationsAreConsistent() throws Exception {
		Model m = ontology();
		List<String> problems = new ArrayList<>();
		Set<Resource> kinds = Set.of(OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty);
		m.listSubjects().forEach(r -> {
			if (r.isURIResource() && !r.hasProperty(RDF.type, OWL.Ontology)) {
				long declared = m.listObjectsOfProperty(r, RDF.type).toList().stream().filter(kinds::contains).count();
				if (declared != 1 && !r.getURI().startsWith("https://w3id.org/loupe/ontology/")) {
					problems.add(r + " is declared as " + declared + " kinds of entity");
				}
			}
		});
		for (var p : List.of(RDFS.domain, RDFS.range)) {
			m.listStatements(null, p, (org.apache.jena.rdf.model.RDFNode) null).forEach(st -> {
				Resource target = st.getObject().asResource();
				boolean datatype = target.getURI().startsWith("http://www.w3.org/2001/XMLSchema#") || target.equals(RDFS.Literal);
				boolean isClass = target.hasProperty(RDF.type, OWL.Class) || target.equals(OWL.Thing);
				boolean objectProperty = st.getSubject().hasProperty(RDF.type, OWL.ObjectProperty);
				if (objectProperty ? !isClass : p.equals(RDFS.range) ? !datatype : !isClass) {
					problems.add(st.getSubject() + " " + p.getLocalName() + " " + target + " is not a declared "
							+ (p.equals(RDFS.range) && !objectProperty ? "datatype" : "class"));
				}
			});
		}
		assertTrue(problems.isEmpty(), String.join("\n", problems));
	}

	/** owl:versionIRI is OWL 2; Jena's OWL vocabulary class predates it. */
	static final class OWL2 {
		static final org.apache.jena.rdf.model.Property versionIRI = ModelFactory.createDefaultModel()
				.createProperty("http://www.w3.org/2002/07/owl#versionIRI");
	}
}
