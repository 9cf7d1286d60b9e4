# SPARQL Update, run after the linker: the calls around a sequence that no detector names (the listing and
# reading an attacker does before and between the signals) are its context. A call belongs to a sequence's
# context when the same actor made it from the same client (source address and user agent together) as one of the
# sequence's signals, between its first and last signal or within the context window (60-link-settings.ttl,
# one hour) before or after them, unless that actor made more than contextMaxCalls calls from that address.
# The address alone is not enough: an administrator behind the same NAT is not the attacker.
# Only sequences marked <urn:loupe:tmp:due> true are looked at: a full run marks all of them, an update those
# whose context its new evidence can change in other ways than by adding to it. An update marks
# <urn:loupe:tmp:grow> true the sequences that only gain the new calls: they keep their context and look for more
# in the new sources only (marked <urn:loupe:tmp:newSource> true), instead of in all of the actor's calls.
PREFIX loupe: <https://w3id.org/loupe/ontology#>
PREFIX prov:  <http://www.w3.org/ns/prov#>
PREFIX xsd:   <http://www.w3.org/2001/XMLSchema#>

# each client of a sequence once (many signals share one), then the calls from it. (DISTINCT first: the store
# looks up every quad an INSERT writes, and writing each member's client took 70 ms of an update.)
INSERT { GRAPH ?inferred { ?seq <urn:loupe:tmp:client> ?client . ?client <urn:loupe:tmp:actor> ?a ; <urn:loupe:tmp:ip> ?ip ; <urn:loupe:tmp:ua> ?ua } }
WHERE {
  {
    SELECT DISTINCT ?seq ?a ?ip ?ua
    WHERE {
      GRAPH ?inferred { ?seq a loupe:AttackSequence ; <urn:loupe:tmp:due> true ; loupe:member ?m . ?m prov:wasDerivedFrom ?e }
      OPTIONAL { ?e loupe:actor ?a0 ; loupe:sourceIp ?ip0 ; loupe:userAgent ?ua0 }
      FILTER (BOUND(?a0) && BOUND(?ip0) && BOUND(?ua0))
      # a member that is a person's everyday work (loupe:habitual, joined through a resource): the calls around
      # it are that person's, not the intruder's. (MINUS reads those few once; FILTER NOT EXISTS looked each
      # member up: 180 of 390 ms for the 11K members of a full run at 1M events.)
      MINUS { GRAPH ?inferred { ?m loupe:habitual true } }
      BIND (?a0 AS ?a)
      BIND (?ip0 AS ?ip)
      BIND (?ua0 AS ?ua)
    }
  }
  BIND (IRI(CONCAT("urn:loupe:tmp:client:", SHA256(CONCAT(STR(?seq), " ", STR(?a), " ", STR(?ip), " ", STR(?ua))))) AS ?client)
} ;

# the same for a sequence that only gains, of the clients whose actor made calls in the new sources (marked
# <urn:loupe:tmp:newCaller> true): no other client can gain a call there. A signal's actor is its evidence's, so
# members are picked by their actor before their evidence is read. (A sequence grows in most updates: reading
# all of its members' clients took 100-200 ms of an update at 1M events. No GRAPH inside the OPTIONAL, and no
# join in place of it: Jena 6.0.0 fails on either, the latter when nothing grows.)
INSERT { GRAPH ?inferred { ?seq <urn:loupe:tmp:client> ?client . ?client <urn:loupe:tmp:actor> ?a ; <urn:loupe:tmp:ip> ?ip ; <urn:loupe:tmp:ua> ?ua } }
WHERE {
  {
    SELECT DISTINCT ?seq ?a ?ip ?ua
    WHERE {
      GRAPH ?inferred {
        ?seq a loupe:AttackSequence ; <urn:loupe:tmp:grow> true ; loupe:member ?m .
        ?m loupe:actor ?a ; prov:wasDerivedFrom ?e .
        ?a <urn:loupe:tmp:newCaller> true .
      }
      OPTIONAL { ?e loupe:actor ?a ; loupe:sourceIp ?ip0 ; loupe:userAgent ?ua0 }
      FILTER (BOUND(?ip0) && BOUND(?ua0))
      MINUS { GRAPH ?inferred { ?m loupe:habitual true } }
      BIND (?ip0 AS ?ip)
      BIND (?ua0 AS ?ua)
    }
  }
  BIND (IRI(CONCAT("urn:loupe:tmp:client:", SHA256(CONCAT(STR(?seq), " ", STR(?a), " ", STR(?ip), " ", STR(?ua))))) AS ?client)
} ;

# an address this actor used for more than contextMaxCalls calls in all the evidence is its everyday one, not an
# intruder's: listing it would bury the sequence (and read every call of a busy principal). Looked up once per
# client, not per signal.
DELETE { GRAPH ?inferred { ?seq <urn:loupe:tmp:client> ?c . ?c <urn:loupe:tmp:actor> ?a ; <urn:loupe:tmp:ip> ?ip ; <urn:loupe:tmp:ua> ?ua } }
WHERE {
  GRAPH ?inferred { ?seq <urn:loupe:tmp:client> ?c . ?c <urn:loupe:tmp:actor> ?a ; <urn:loupe:tmp:ip> ?ip ; <urn:loupe:tmp:ua> ?ua }
  OPTIONAL { ?co loupe:summaryOf ?a ; loupe:cooccursWith ?ip ; loupe:cooccurrenceRole loupe:sourceIp ; loupe:eventCount ?calls }
  OPTIONAL { ?limits a loupe:LinkSettings ; loupe:contextMaxCalls ?setMax }
  FILTER (BOUND(?calls) && ?calls > COALESCE(?setMax, 2000))
} ;

INSERT { GRAPH ?inferred { ?seq loupe:contextEvent ?x } }
WHERE {
  GRAPH ?inferred {
    ?seq <urn:loupe:tmp:due> true ; <urn:loupe:tmp:client> ?c ; loupe:time ?start ; loupe:endTime ?end .
    ?c <urn:loupe:tmp:actor> ?a ; <urn:loupe:tmp:ip> ?ip ; <urn:loupe:tmp:ua> ?ua .
  }
  OPTIONAL { ?settings a loupe:LinkSettings ; loupe:contextWindow ?setWindow }
  BIND (COALESCE(?setWindow, "PT1H"^^xsd:dayTimeDuration) AS ?window)
  OPTIONAL {
    ?x loupe:actor ?a .
    ?x loupe:eventTime ?t .
    FILTER (?t >= ?start - ?window && ?t <= ?end + ?window)
    ?x loupe:sourceIp ?ip ; loupe:userAgent ?ua .
  }
  FILTER (BOUND(?x))
} ;

# the same for a sequence that only gains: the actor's calls in each new source
INSERT { GRAPH ?inferred { ?seq loupe:contextEvent ?x } }
WHERE {
  GRAPH ?inferred {
    ?seq <urn:loupe:tmp:grow> true ; <urn:loupe:tmp:client> ?c ; loupe:time ?start ; loupe:endTime ?end .
    ?c <urn:loupe:tmp:actor> ?a ; <urn:loupe:tmp:ip> ?ip ; <urn:loupe:tmp:ua> ?ua .
    ?src <urn:loupe:tmp:newSource> true .
  }
  OPTIONAL { ?settings a loupe:LinkSettings ; loupe:contextWindow ?setWindow }
  BIND (COALESCE(?setWindow, "PT1H"^^xsd:dayTimeDuration) AS ?window)
  OPTIONAL {
    GRAPH ?src { ?x loupe:actor ?a ; loupe:eventTime ?t ; loupe:sourceIp ?ip ; loupe:userAgent ?ua }
    # (here, not inside GRAPH: a filter there cannot see the window)
    FILTER (?t >= ?start - ?window && ?t <= ?end + ?window)
  }
  FILTER (BOUND(?x))
} ;

DELETE WHERE { GRAPH ?inferred { ?seq <urn:loupe:tmp:client> ?c . ?c <urn:loupe:tmp:actor> ?a ; <urn:loupe:tmp:ip> ?ip ; <urn:loupe:tmp:ua> ?ua } } ;

# what is already a member's evidence is not context (a call delivered again in a new source is the same call)
DELETE { GRAPH ?inferred { ?seq loupe:contextEvent ?x } }
WHERE {
  VALUES ?mark { <urn:loupe:tmp:due> <urn:loupe:tmp:grow> }
  GRAPH ?inferred { ?seq ?mark true ; loupe:contextEvent ?x ; loupe:member ?m . ?m prov:wasDerivedFrom ?x }
}
