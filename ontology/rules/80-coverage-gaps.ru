# SPARQL Update: a call that switched a source of evidence off (a detector with loupe:stopsSource, e.g.
# StopLogging) opens a coverage gap in its account and region. The gap ends at the first later successful call
# that switched the same source back on (loupe:restoredByEventName, same event source and account, without the
# stopping detector's qualifier: UpdateDetector disabling GuardDuty again is no restore; with the qualifier the
# detector's loupe:restoredByQualifier names, when it names one); with no such
# call in the evidence it has no end. What happened in a gap may be missing from the evidence: the timeline draws
# gaps, and `loupe gaps` lists them.
PREFIX loupe: <https://w3id.org/loupe/ontology#>
PREFIX rule:  <https://w3id.org/loupe/rule/>
PREFIX prov:  <http://www.w3.org/ns/prov#>

INSERT {
  GRAPH ?inferred {
    ?gap a loupe:CoverageGap ; loupe:gapSource ?source ; loupe:causedBy ?e ; loupe:time ?t ;
         loupe:rule rule:coverage-gap ; loupe:actor ?actor ; <urn:loupe:tmp:detector> ?det .
  }
}
WHERE {
  # from the few detectors that switch a source off to their signals: not every signal's detector looked up
  ?det loupe:stopsSource ?stops .
  GRAPH ?inferred { ?s loupe:detector ?det ; a loupe:Signal ; prov:wasDerivedFrom ?e ; loupe:time ?t ; loupe:actor ?actor }
  OPTIONAL { ?e loupe:qualifier ?failed FILTER (?failed = "outcome:failed") }
  FILTER (!BOUND(?failed))
  BIND (?stops AS ?source)
  BIND (IRI(CONCAT("urn:loupe:gap:", SUBSTR(SHA256(STR(?e)), 1, 40))) AS ?gap)
} ;

INSERT { GRAPH ?inferred { ?gap loupe:account ?account } }
WHERE { GRAPH ?inferred { ?gap a loupe:CoverageGap ; loupe:causedBy ?e } OPTIONAL { ?e loupe:account ?account } FILTER (BOUND(?account)) } ;

INSERT { GRAPH ?inferred { ?gap loupe:inRegion ?region } }
WHERE { GRAPH ?inferred { ?gap a loupe:CoverageGap ; loupe:causedBy ?e } OPTIONAL { ?e loupe:inRegion ?region } FILTER (BOUND(?region)) } ;

# every later successful call that switched the same source back on, then the first of them
INSERT { GRAPH ?inferred { ?gap <urn:loupe:tmp:restore> ?r . ?r <urn:loupe:tmp:restoreTime> ?rt } }
WHERE {
  GRAPH ?inferred { ?gap a loupe:CoverageGap ; loupe:causedBy ?e ; loupe:time ?t ; <urn:loupe:tmp:detector> ?det }
  OPTIONAL {
    ?det loupe:matchEventSource ?src ; loupe:restoredByEventName ?name .
    ?e loupe:account ?account .
    ?r0 loupe:eventName ?name ; loupe:eventSource ?src ; loupe:account ?account ; loupe:eventTime ?rt0 .
    OPTIONAL { ?r0 loupe:qualifier ?q FILTER (?q = "outcome:failed") }
    # a call of that name with the stopping detector's own qualifier switches the source off again, not on
    FILTER NOT EXISTS { ?det loupe:matchQualifier ?stopping . ?r0 loupe:qualifier ?stopping }
    # and where the detector names what a restoring call does, a call of that name that does something else does not
    FILTER NOT EXISTS { ?det loupe:restoredByQualifier ?restoring . FILTER NOT EXISTS { ?r0 loupe:qualifier ?restoring } }
  }
  FILTER (BOUND(?r0) && ?rt0 >= ?t && !BOUND(?q))
  BIND (?r0 AS ?r)
  BIND (?rt0 AS ?rt)
} ;

# (a sub-select joined to a pattern fails in Jena 6.0.0 when it selects nothing: NOT EXISTS instead)
INSERT { GRAPH ?inferred { ?gap loupe:restoredBy ?r ; loupe:endTime ?rt } }
WHERE {
  GRAPH ?inferred {
    ?gap <urn:loupe:tmp:restore> ?r . ?r <urn:loupe:tmp:restoreTime> ?rt .
    FILTER NOT EXISTS { ?gap <urn:loupe:tmp:restore> ?r2 . ?r2 <urn:loupe:tmp:restoreTime> ?rt2 FILTER (?rt2 < ?rt) }
  }
} ;

DELETE WHERE { GRAPH ?inferred { ?gap <urn:loupe:tmp:detector> ?det } } ;
DELETE WHERE { GRAPH ?inferred { ?gap <urn:loupe:tmp:restore> ?r } } ;
DELETE WHERE { GRAPH ?inferred { ?r <urn:loupe:tmp:restoreTime> ?t } }
