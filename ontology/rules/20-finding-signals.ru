# SPARQL Update: the verdicts on the signals of findings. Every GuardDuty and Security Hub finding is made a
# signal before this file runs (the reasoner's finding-signal step, FindingSignals: the detector is the finding
# detector of detectors-findings.ttl with the longest type prefix the finding's types start with; the tactics are
# those the finding names, else that detector's; GuardDuty's own attack-sequence findings are sequences, not
# signals).
PREFIX loupe: <https://w3id.org/loupe/ontology#>
PREFIX rule:  <https://w3id.org/loupe/rule/>
PREFIX prov:  <http://www.w3.org/ns/prov#>
PREFIX xsd:   <http://www.w3.org/2001/XMLSchema#>

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
;

# A finding whose latest version is archived (GuardDuty: by hand or by a suppression rule; Security Hub's record
# state) or suppressed (Security Hub's workflow status, OCSF's status) links but does not count toward a sequence:
# the team judged it expected. So does a GuardDuty sample finding (SAMPLE: CreateSampleFindings' output, which
# the console makes on request), which is no observation at all. Of a finding pulled several times, the latest version is the source's with the
# latest loupe:updatedAt (one without it is older than one with it); an archived finding brought back is counted
# again. (From the few archived or suppressed findings, not from every signal; the signal through OPTIONAL, as
# above, because a join whose first part matches nothing fails in Jena 6.0.0.)
INSERT { GRAPH ?inferred { ?sig loupe:suppressed true } }
WHERE {
  GRAPH ?g {
    ?f loupe:findingState ?state FILTER (?state IN ("ARCHIVED", "SUPPRESSED", "SAMPLE"))
    OPTIONAL { ?f loupe:updatedAt ?t }
  }
  FILTER NOT EXISTS { GRAPH ?h { ?f loupe:updatedAt ?later } FILTER (!BOUND(?t) || ?later > ?t) }
  OPTIONAL { GRAPH ?inferred { ?sig0 prov:wasDerivedFrom ?f ; loupe:rule rule:finding-signal } }
  FILTER (BOUND(?sig0))
  BIND (?sig0 AS ?sig)
}
