# SPARQL Update: every GuardDuty and Security Hub finding becomes a signal (GuardDuty's own attack-sequence
# findings excepted: they are sequences, not signals). The detector is the finding detector of
# detectors-findings.ttl with the longest type prefix the finding's types start with; the tactic is that
# detector's, and any tactics and techniques the finding names itself. The severity is the finding's (0-10).
# One finding copied by GuardDuty, Security Hub and OCSF is one node, so it is one signal.
PREFIX loupe: <https://w3id.org/loupe/ontology#>
PREFIX rule:  <https://w3id.org/loupe/rule/>
PREFIX prov:  <http://www.w3.org/ns/prov#>
PREFIX xsd:   <http://www.w3.org/2001/XMLSchema#>

# First the best detector of each distinct finding type (there are far fewer types than findings), kept for a
# moment in the inferred graph; the default graph is the union of all graphs, so the next step joins it with the
# findings without naming graphs.
INSERT { GRAPH ?inferred { ?typeNode <urn:loupe:tmp:findingType> ?type ; <urn:loupe:tmp:detectorKey> ?best } }
WHERE {
  {
    SELECT ?type (MAX(?key) AS ?best)
    WHERE {
      # the distinct types, then the detectors for each (OPTIONAL: a sub-select joined to what follows fails in
      # Jena 6.0.0 when it selects nothing)
      # (of the findings to derive signals from, see below: in an update, only those it can change)
      { SELECT DISTINCT ?type WHERE { ?f <urn:loupe:tmp:inScope> true ; loupe:findingType ?type } }
      OPTIONAL {
        ?d a loupe:FindingDetector ; loupe:matchTypePrefix ?prefix .
        FILTER (STRSTARTS(?type, ?prefix))
        # longest prefix first, then the detector IRI, packed in one sortable string
        BIND (CONCAT(SUBSTR(STR(10000 + STRLEN(?prefix)), 2), " ", STR(?d)) AS ?key)
      }
    }
    GROUP BY ?type
  }
  FILTER (BOUND(?best))
  BIND (IRI(CONCAT("urn:loupe:tmp:type:", SHA256(?type))) AS ?typeNode)
} ;

INSERT {
  GRAPH ?inferred {
    ?sig a loupe:Signal ; loupe:detector ?det ; prov:wasDerivedFrom ?f ; loupe:time ?t ;
         loupe:severity ?sev ; loupe:rule rule:finding-signal .
  }
}
WHERE {
  {
    SELECT ?f ?t ?given (MAX(?key) AS ?best)
    WHERE {
      # the reasoner marks the findings to derive signals from: all of them in a full run, in an update after new
      # evidence only those it can change
      ?f <urn:loupe:tmp:inScope> true .
      ?f a loupe:Finding ; loupe:findingType ?type ; loupe:eventTime ?t .
      ?typeNode <urn:loupe:tmp:findingType> ?type ; <urn:loupe:tmp:detectorKey> ?key .
      OPTIONAL { ?f loupe:severity ?given }
      MINUS { ?f loupe:findingType ?s FILTER (STRSTARTS(?s, "AttackSequence:")) }
    }
    GROUP BY ?f ?t ?given
  }
  BIND (IRI(STRAFTER(?best, " ")) AS ?det)
  BIND (COALESCE(?given, 0.0) AS ?sev)
  BIND (IRI(CONCAT("urn:loupe:signal:", SUBSTR(SHA256(CONCAT(STR(?det), "|", STR(?f))), 1, 40))) AS ?sig)
} ;

DELETE WHERE { GRAPH ?inferred { ?typeNode <urn:loupe:tmp:findingType> ?type ; <urn:loupe:tmp:detectorKey> ?best } } ;

INSERT { GRAPH ?inferred { ?sig loupe:actor ?actor } }
WHERE {
  GRAPH ?inferred { ?sig loupe:rule rule:finding-signal ; prov:wasDerivedFrom ?f }
  OPTIONAL { ?f loupe:actor ?actor }
  FILTER (BOUND(?actor))
} ;

INSERT { GRAPH ?inferred { ?sig loupe:tactic ?tac } }
WHERE {
  GRAPH ?inferred { ?sig loupe:rule rule:finding-signal ; prov:wasDerivedFrom ?f ; loupe:detector ?det }
  OPTIONAL { ?det loupe:tactic ?mapped }
  OPTIONAL { ?f loupe:tactic ?named }
  BIND (COALESCE(?named, ?mapped) AS ?tac)
  FILTER (BOUND(?tac))
} ;

INSERT { GRAPH ?inferred { ?sig loupe:technique ?tech } }
WHERE {
  GRAPH ?inferred { ?sig loupe:rule rule:finding-signal ; prov:wasDerivedFrom ?f }
  OPTIONAL { ?f loupe:technique ?tech }
  FILTER (BOUND(?tech))
} ;

# A finding less severe than the link settings' minFindingSeverity (60-link-settings.ttl; GuardDuty's Low by
# default) that names no actor links but does not count toward a sequence: port probes and brute force that an
# internet-facing instance shrugged off. A Low finding about what a principal did (root credentials used, a
# bucket's logging switched off) still counts.
INSERT { GRAPH ?inferred { ?sig loupe:lowSeverity true } }
WHERE {
  OPTIONAL { ?settings a loupe:LinkSettings ; loupe:minFindingSeverity ?set }
  BIND (COALESCE(?set, 4.0) AS ?min)
  GRAPH ?inferred { ?sig loupe:rule rule:finding-signal ; loupe:severity ?sev FILTER NOT EXISTS { ?sig loupe:actor ?actor } }
  FILTER (?sev < ?min)
} ;

# A finding that describes a state rather than an action (a posture detector's, or any with a compliance status:
# a failed control) links to its resource's story but does not count toward a sequence.
# (from the few posture detectors and findings with a status, not from every signal: 10 times cheaper at 10K
# findings; OPTIONAL because a join whose first part matches nothing fails in Jena 6.0.0)
INSERT { GRAPH ?inferred { ?sig loupe:posture true } }
WHERE {
  ?det loupe:posture true .
  OPTIONAL { GRAPH ?inferred { ?sig0 loupe:detector ?det ; loupe:rule rule:finding-signal } }
  FILTER (BOUND(?sig0))
  BIND (?sig0 AS ?sig)
} ;
INSERT { GRAPH ?inferred { ?sig loupe:posture true } }
WHERE {
  ?f loupe:complianceStatus ?status .
  OPTIONAL { GRAPH ?inferred { ?sig0 prov:wasDerivedFrom ?f ; loupe:rule rule:finding-signal } }
  FILTER (BOUND(?sig0))
  BIND (?sig0 AS ?sig)
}
