# SPARQL Update, run after the forward rules: the signals of one actor form an attack sequence when they span
# two or more ATT&CK tactics or include a high-severity (>= 7) signal. The sequence IRI is derived from the
# actor, so re-running gives the same IRI. The 24-hour linking window and cross-actor identity resolution are
# not applied yet (issue 5).
PREFIX loupe: <https://w3id.org/loupe/ontology#>
PREFIX rule:  <https://w3id.org/loupe/rule/>

INSERT {
  GRAPH ?inferred {
    ?seq a loupe:AttackSequence ;
         loupe:actor ?actor ;
         loupe:member ?sig ;
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
    HAVING (COUNT(DISTINCT ?tac) >= 2 || MAX(?sev) >= 7)
  }
  GRAPH ?inferred { ?sig a loupe:Signal ; loupe:actor ?actor }
  BIND (IRI(CONCAT("urn:loupe:sequence:", SHA256(STR(?actor)))) AS ?seq)
  BIND (STRLANG(CONCAT(STR(?n), " signal(s) of the same actor, ", STR(?tactics), " tactic(s), highest severity ",
               STR(?maxSev), IF(?tactics >= 2, ": more than one tactic", ": high severity")), "en") AS ?why)
  BIND (STRLANG(CONCAT("同じアクターのシグナル ", STR(?n), " 件、戦術 ", STR(?tactics), " 種、最高重大度 ",
               STR(?maxSev), IF(?tactics >= 2, ": 複数の戦術", ": 高重大度")), "ja") AS ?whyJa)
}
