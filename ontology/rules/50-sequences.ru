# SPARQL Update, run after the forward rules: signals are attributed to the identity behind their actor
# (AssumeRole chains followed back, across accounts, to the principal that started them, unless that is an AWS
# service; a key created for another user leads back to its creator); signals of one identity are linked when no more than the linking window (24 hours; change "PT24H"
# below) separates each from the one before; linked signals form an attack sequence when they span two or more
# ATT&CK tactics or include a high-severity (>= 7) signal. The sequence IRI is derived from the identity and the
# first signal, so re-running gives the same IRI.
PREFIX loupe: <https://w3id.org/loupe/ontology#>
PREFIX rule:  <https://w3id.org/loupe/rule/>
PREFIX prov:  <http://www.w3.org/ns/prov#>
PREFIX xsd:   <http://www.w3.org/2001/XMLSchema#>

# Step by step, each join inside one graph: joining patterns of two graphs fails in Jena 6.0.0 ("Peek iterator is
# already empty") when the first matches nothing. OPTIONAL (a left join) is not affected.
# A call made with a key that another principal created for this user (a backdoor key) belongs to its creator.
INSERT { GRAPH ?inferred { ?s loupe:resolvedActor ?who } }
WHERE {
  GRAPH ?inferred { ?s a loupe:Signal ; loupe:actor ?a ; prov:wasDerivedFrom ?e }
  OPTIONAL { ?e loupe:accessKey/loupe:createdBy ?maker }
  BIND (COALESCE(?maker, ?a) AS ?b)
  OPTIONAL {
    ?b loupe:assumedBy+ ?root .
    FILTER NOT EXISTS { ?root loupe:assumedBy ?earlier }
    FILTER NOT EXISTS { ?root a loupe:ServicePrincipal }
  }
  BIND (COALESCE(?root, ?b) AS ?who)
} ;

# A chain starts at a signal with no signal of the same identity in the window before it (ties broken by IRI).
INSERT { GRAPH ?inferred { ?s <urn:loupe:tmp:startsChain> true } }
WHERE {
  GRAPH ?inferred {
    ?s a loupe:Signal ; loupe:resolvedActor ?who ; loupe:time ?t .
    FILTER NOT EXISTS {
      ?o loupe:resolvedActor ?who ; loupe:time ?u .
      FILTER (?o != ?s && ?u >= ?t - "PT24H"^^xsd:dayTimeDuration && (?u < ?t || (?u = ?t && STR(?o) < STR(?s))))
    }
  }
} ;

# Each signal belongs to the latest chain start of its identity at or before it.
INSERT { GRAPH ?inferred { ?s <urn:loupe:tmp:inChain> ?first } }
WHERE {
  GRAPH ?inferred {
    ?s a loupe:Signal ; loupe:resolvedActor ?who ; loupe:time ?t .
    ?first <urn:loupe:tmp:startsChain> true ; loupe:resolvedActor ?who ; loupe:time ?ft .
    FILTER (?ft < ?t || (?ft = ?t && STR(?first) <= STR(?s)))
    FILTER NOT EXISTS {
      ?later <urn:loupe:tmp:startsChain> true ; loupe:resolvedActor ?who ; loupe:time ?lt .
      FILTER (?later != ?first && (?lt > ?ft || (?lt = ?ft && STR(?later) > STR(?first)))
              && (?lt < ?t || (?lt = ?t && STR(?later) <= STR(?s))))
    }
  }
} ;

INSERT {
  GRAPH ?inferred {
    ?seq a loupe:AttackSequence ;
         loupe:actor ?actor ;
         loupe:time ?start ;
         loupe:endTime ?end ;
         loupe:severity ?maxSev ;
         loupe:rule rule:actor-sequence ;
         loupe:explanation ?why , ?whyJa ;
         <urn:loupe:tmp:chain> ?first .
  }
}
WHERE {
  {
    SELECT ?actor ?first (COUNT(DISTINCT ?tac) AS ?tactics) (MAX(?sev) AS ?maxSev) (COUNT(DISTINCT ?s) AS ?n)
           (MIN(?t) AS ?start) (MAX(?t) AS ?end)
    WHERE { GRAPH ?inferred { ?s a loupe:Signal ; loupe:resolvedActor ?actor ; <urn:loupe:tmp:inChain> ?first ;
                                 loupe:tactic ?tac ; loupe:severity ?sev ; loupe:time ?t } }
    GROUP BY ?actor ?first
  }
  FILTER (?tactics >= 2 || ?maxSev >= 7)
  BIND (IRI(CONCAT("urn:loupe:sequence:", SHA256(CONCAT(STR(?actor), " ", STR(?first))))) AS ?seq)
  BIND (STRLANG(CONCAT(STR(?n), " signal(s) of the same identity (linked within 24 h), ", STR(?tactics), " tactic(s), highest severity ",
               STR(?maxSev), IF(?tactics >= 2, ": more than one tactic", ": high severity")), "en") AS ?why)
  BIND (STRLANG(CONCAT("同じ主体のシグナル ", STR(?n), " 件（24 時間以内で連結）、戦術 ", STR(?tactics), " 種、最高重大度 ",
               STR(?maxSev), IF(?tactics >= 2, ": 複数の戦術", ": 高重大度")), "ja") AS ?whyJa)
} ;

INSERT { GRAPH ?inferred { ?seq loupe:member ?sig } }
WHERE {
  GRAPH ?inferred { ?seq a loupe:AttackSequence ; <urn:loupe:tmp:chain> ?first . ?sig <urn:loupe:tmp:inChain> ?first }
} ;

DELETE WHERE { GRAPH ?inferred { ?x <urn:loupe:tmp:startsChain> ?y } } ;
DELETE WHERE { GRAPH ?inferred { ?x <urn:loupe:tmp:inChain> ?y } } ;
DELETE WHERE { GRAPH ?inferred { ?x <urn:loupe:tmp:chain> ?y } } ;

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
