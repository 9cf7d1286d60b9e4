# SPARQL Update, run after the forward rules: the signals of one actor form an attack sequence when they span
# two or more ATT&CK tactics or include a high-severity (>= 7) signal. The sequence IRI is derived from the
# actor, so re-running gives the same IRI. The 24-hour linking window and cross-actor identity resolution are
# not applied yet (issue 5).
PREFIX loupe: <https://w3id.org/loupe/ontology#>
PREFIX rule:  <https://w3id.org/loupe/rule/>

# Two steps, each matching one graph: the sequences with their aggregates first, then their members. Joining
# patterns of two graphs in one step fails in Jena 6.0.0 ("Peek iterator is already empty") when the first
# matches nothing, e.g. when no actor qualifies.
INSERT {
  GRAPH ?inferred {
    ?seq a loupe:AttackSequence ;
         loupe:actor ?actor ;
         loupe:time ?start ;
         loupe:endTime ?end ;
         loupe:severity ?maxSev ;
         loupe:sequenceType "AttackSequence:IAM/CompromisedCredentials" ;
         loupe:rule rule:actor-sequence ;
         loupe:explanation ?why , ?whyJa .
  }
}
WHERE {
  {
    SELECT ?actor (COUNT(DISTINCT ?tac) AS ?tactics) (MAX(?sev) AS ?maxSev) (COUNT(DISTINCT ?s) AS ?n)
           (MIN(?t) AS ?start) (MAX(?t) AS ?end)
    WHERE { GRAPH ?inferred { ?s a loupe:Signal ; loupe:actor ?actor ; loupe:tactic ?tac ; loupe:severity ?sev ; loupe:time ?t } }
    GROUP BY ?actor
  }
  FILTER (?tactics >= 2 || ?maxSev >= 7)
  BIND (IRI(CONCAT("urn:loupe:sequence:", SHA256(STR(?actor)))) AS ?seq)
  BIND (STRLANG(CONCAT(STR(?n), " signal(s) of the same actor, ", STR(?tactics), " tactic(s), highest severity ",
               STR(?maxSev), IF(?tactics >= 2, ": more than one tactic", ": high severity")), "en") AS ?why)
  BIND (STRLANG(CONCAT("同じアクターのシグナル ", STR(?n), " 件、戦術 ", STR(?tactics), " 種、最高重大度 ",
               STR(?maxSev), IF(?tactics >= 2, ": 複数の戦術", ": 高重大度")), "ja") AS ?whyJa)
} ;

INSERT { GRAPH ?inferred { ?seq loupe:member ?sig } }
WHERE {
  GRAPH ?inferred { ?seq a loupe:AttackSequence ; loupe:actor ?actor . ?sig a loupe:Signal ; loupe:actor ?actor }
}
