# SPARQL Update, run after the linker: the calls around a sequence that no detector names (the listing and
# reading an attacker does before and between the signals) are its context. A call belongs to a sequence's
# context when the same actor made it from the same client (source address and user agent together) as one of the
# sequence's signals, between its first and last signal or within the context window (60-link-settings.ttl,
# one hour) before or after them, unless that actor made more than contextMaxCalls calls from that address.
# The address alone is not enough: an administrator behind the same NAT is not the attacker. The client of the call
# that deployed the code a member's session ran (loupe:deployedBy) is one of the sequence's clients: that call and
# the deployer's listing around it are the story too.
# Only sequences marked <urn:loupe:tmp:due> true are looked at: a full run marks all of them, an update those
# whose context its new evidence can change in other ways than by adding to it. An update marks
# <urn:loupe:tmp:grow> true the sequences that only gain the new calls: they keep their context and look for more
# in the new sources only (marked <urn:loupe:tmp:newSource> true), instead of in all of the actor's calls.
PREFIX loupe: <https://w3id.org/loupe/ontology#>
PREFIX prov:  <http://www.w3.org/ns/prov#>
PREFIX xsd:   <http://www.w3.org/2001/XMLSchema#>

# each client of a sequence once (many signals share one), then the calls from it. (DISTINCT first: the store
# looks up every quad an INSERT writes, and writing each member's client took 70 ms of an update.) The clients
# stay with the sequence (loupe:contextClient): a sequence that only gains reads its clients, not again all of
# its members' calls (100-200 ms of an update at 1M events); the reasoner takes them out when the sequence is due.
INSERT {
  GRAPH ?inferred {
    ?seq loupe:contextClient ?client .
    ?client a loupe:ContextClient ; loupe:clientActor ?a ; loupe:clientAddress ?ip ; loupe:clientUserAgent ?ua .
  }
}
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
  BIND (IRI(CONCAT("urn:loupe:client:", SUBSTR(SHA256(CONCAT(STR(?seq), " ", STR(?a), " ", STR(?ip), " ", STR(?ua))), 1, 40))) AS ?client)
} ;

# the client of the call that deployed the code a member's session ran (from those members, which are few: the
# same path as the members' evidence, above, doubled that step, 210 -> 430 ms at 1M events)
INSERT {
  GRAPH ?inferred {
    ?seq loupe:contextClient ?client .
    ?client a loupe:ContextClient ; loupe:clientActor ?a ; loupe:clientAddress ?ip ; loupe:clientUserAgent ?ua .
  }
}
WHERE {
  {
    SELECT DISTINCT ?seq ?a ?ip ?ua
    WHERE {
      GRAPH ?inferred { ?m loupe:deployedBy ?c . ?seq loupe:member ?m ; <urn:loupe:tmp:due> true }
      OPTIONAL { ?c loupe:actor ?a0 ; loupe:sourceIp ?ip0 ; loupe:userAgent ?ua0 }
      FILTER (BOUND(?a0) && BOUND(?ip0) && BOUND(?ua0))
      BIND (?a0 AS ?a)
      BIND (?ip0 AS ?ip)
      BIND (?ua0 AS ?ua)
    }
  }
  BIND (IRI(CONCAT("urn:loupe:client:", SUBSTR(SHA256(CONCAT(STR(?seq), " ", STR(?a), " ", STR(?ip), " ", STR(?ua))), 1, 40))) AS ?client)
} ;

# an address this actor used for more than contextMaxCalls calls in all the evidence is its everyday one, not an
# intruder's: listing it would bury the sequence (and read every call of a busy principal). Looked up once per
# client, not per signal; for a sequence that only gains, because the new calls may have pushed a client over.
DELETE {
  GRAPH ?inferred {
    ?seq loupe:contextClient ?c .
    ?c a loupe:ContextClient ; loupe:clientActor ?a ; loupe:clientAddress ?ip ; loupe:clientUserAgent ?ua .
  }
}
WHERE {
  VALUES ?mark { <urn:loupe:tmp:due> <urn:loupe:tmp:grow> }
  GRAPH ?inferred { ?seq ?mark true ; loupe:contextClient ?c . ?c loupe:clientActor ?a ; loupe:clientAddress ?ip ; loupe:clientUserAgent ?ua }
  OPTIONAL { ?co loupe:summaryOf ?a ; loupe:cooccursWith ?ip ; loupe:cooccurrenceRole loupe:sourceIp ; loupe:eventCount ?calls }
  OPTIONAL { ?limits a loupe:LinkSettings ; loupe:contextMaxCalls ?setMax }
  FILTER (BOUND(?calls) && ?calls > COALESCE(?setMax, 2000))
} ;

INSERT { GRAPH ?inferred { ?seq loupe:contextEvent ?x } }
WHERE {
  GRAPH ?inferred {
    ?seq <urn:loupe:tmp:due> true ; loupe:contextClient ?c ; loupe:time ?start ; loupe:endTime ?end .
    ?c loupe:clientActor ?a ; loupe:clientAddress ?ip ; loupe:clientUserAgent ?ua .
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
    ?seq <urn:loupe:tmp:grow> true ; loupe:contextClient ?c ; loupe:time ?start ; loupe:endTime ?end .
    ?c loupe:clientActor ?a ; loupe:clientAddress ?ip ; loupe:clientUserAgent ?ua .
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

# what is already a member's evidence is not context (a call delivered again in a new source is the same call)
DELETE { GRAPH ?inferred { ?seq loupe:contextEvent ?x } }
WHERE {
  VALUES ?mark { <urn:loupe:tmp:due> <urn:loupe:tmp:grow> }
  GRAPH ?inferred { ?seq ?mark true ; loupe:contextEvent ?x ; loupe:member ?m . ?m prov:wasDerivedFrom ?x }
}
