# SPARQL Update, run after the forward rules: signals are attributed to the identity behind their actor
# (AssumeRole chains followed back, across accounts, to the principal that started them, unless that is an AWS
# service), and the signals of one such identity form an attack sequence when they span two or more ATT&CK
# tactics or include a high-severity (>= 7) signal. The sequence IRI is derived from that identity, so re-running
# gives the same IRI. The 24-hour linking window is not applied yet (issue 5).
PREFIX loupe: <https://w3id.org/loupe/ontology#>
PREFIX rule:  <https://w3id.org/loupe/rule/>
PREFIX prov:  <http://www.w3.org/ns/prov#>

# Step by step, each join inside one graph: joining patterns of two graphs fails in Jena 6.0.0 ("Peek iterator is
# already empty") when the first matches nothing. OPTIONAL (a left join) is not affected.
INSERT { GRAPH ?inferred { ?s loupe:resolvedActor ?who } }
WHERE {
  GRAPH ?inferred { ?s a loupe:Signal ; loupe:actor ?a }
  OPTIONAL {
    ?a loupe:assumedBy+ ?root .
    FILTER NOT EXISTS { ?root loupe:assumedBy ?earlier }
    FILTER NOT EXISTS { ?root a loupe:ServicePrincipal }
  }
  BIND (COALESCE(?root, ?a) AS ?who)
} ;

INSERT {
  GRAPH ?inferred {
    ?seq a loupe:AttackSequence ;
         loupe:actor ?actor ;
         loupe:time ?start ;
         loupe:endTime ?end ;
         loupe:severity ?maxSev ;
         loupe:rule rule:actor-sequence ;
         loupe:explanation ?why , ?whyJa .
  }
}
WHERE {
  {
    SELECT ?actor (COUNT(DISTINCT ?tac) AS ?tactics) (MAX(?sev) AS ?maxSev) (COUNT(DISTINCT ?s) AS ?n)
           (MIN(?t) AS ?start) (MAX(?t) AS ?end)
    WHERE { GRAPH ?inferred { ?s a loupe:Signal ; loupe:resolvedActor ?actor ; loupe:tactic ?tac ; loupe:severity ?sev ; loupe:time ?t } }
    GROUP BY ?actor
  }
  FILTER (?tactics >= 2 || ?maxSev >= 7)
  BIND (IRI(CONCAT("urn:loupe:sequence:", SHA256(STR(?actor)))) AS ?seq)
  BIND (STRLANG(CONCAT(STR(?n), " signal(s) of the same identity, ", STR(?tactics), " tactic(s), highest severity ",
               STR(?maxSev), IF(?tactics >= 2, ": more than one tactic", ": high severity")), "en") AS ?why)
  BIND (STRLANG(CONCAT("同じアクターのシグナル ", STR(?n), " 件、戦術 ", STR(?tactics), " 種、最高重大度 ",
               STR(?maxSev), IF(?tactics >= 2, ": 複数の戦術", ": 高重大度")), "ja") AS ?whyJa)
} ;

INSERT { GRAPH ?inferred { ?seq loupe:member ?sig } }
WHERE {
  GRAPH ?inferred { ?seq a loupe:AttackSequence ; loupe:actor ?actor . ?sig a loupe:Signal ; loupe:resolvedActor ?actor }
} ;

# The type, named like GuardDuty Extended Threat Detection's: data taken out (exfiltration, or a bucket acted on)
# first, then a Kubernetes cluster, then instance credentials, else compromised credentials.
INSERT { GRAPH ?inferred { ?seq loupe:sequenceType ?type } }
WHERE {
  GRAPH ?inferred { ?seq a loupe:AttackSequence }
  BIND (IF(EXISTS { GRAPH ?inferred { ?seq loupe:member/loupe:tactic <https://attack.mitre.org/TA0010> } }
             || EXISTS { GRAPH ?inferred { ?seq loupe:member/prov:wasDerivedFrom ?e } ?e loupe:target/a loupe:S3Bucket },
           "AttackSequence:S3/CompromisedData",
        IF(EXISTS { GRAPH ?inferred { ?seq loupe:member/prov:wasDerivedFrom ?k } ?k a loupe:KubernetesAuditEvent },
           "AttackSequence:EKS/CompromisedCluster",
        IF(EXISTS { GRAPH ?inferred { ?seq loupe:member/prov:wasDerivedFrom ?i } ?i loupe:qualifier "session:instance" },
           "AttackSequence:EC2/CompromisedInstanceGroup",
           "AttackSequence:IAM/CompromisedCredentials"))) AS ?type)
}
