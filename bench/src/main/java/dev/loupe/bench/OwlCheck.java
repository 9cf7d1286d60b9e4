package dev.loupe.bench;

import java.io.File;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

/**
 * Loads ontology/loupe.ttl with the OWL API (the library Protégé is built on) and checks it against the OWL 2
 * DL profile: `./bench/run-owl-check`. Exits 1 when the ontology does not load or violates the profile.
 */
public final class OwlCheck {
	public static void main(String[] args) throws Exception {
		File file = new File(args.length > 0 ? args[0] : "../ontology/loupe.ttl");
		OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
		OWLOntology ontology = manager.loadOntologyFromOntologyDocument(file);
		OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
		System.out.println(file + ": " + ontology.getAxiomCount() + " axioms, " + ontology.classesInSignature().count()
				+ " classes, " + ontology.objectPropertiesInSignature().count() + " object properties, "
				+ ontology.dataPropertiesInSignature().count() + " data properties");
		for (OWLProfileViolation v : report.getViolations()) {
			System.out.println("  violation: " + v);
		}
		System.out.println(report.isInProfile() ? "OWL 2 DL: yes" : "OWL 2 DL: no (" + report.getViolations().size() + " violations)");
		System.exit(report.isInProfile() ? 0 : 1);
	}
}
