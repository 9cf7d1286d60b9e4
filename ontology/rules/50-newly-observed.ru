# SPARQL Update, a baseline (like Detective's "newly observed"): what a signal's principal did for the first time
# with the signal. For each signal from an API call, the call's user agent, source address and its autonomous
# system, region and API are
# compared with the principal's history in the summary graph (for a role session: the history of every session
# of its role, since each run is a new session; but a person's session, of IAM Identity Center or named by an
# e-mail address, against its own history, not that of everyone who signs in to the role). A value is newly
# observed when the principal's first use of it came less than an hour before the signal; only principals seen
# at least a day before the signal have a history to compare with. The result is loupe:newlyObserved
# "user-agent" | "address" | "asn" (the address's network) | "region" | "api" on the signal: `loupe signals` and
# the Signals view show it, and a stolen key used from a new client says so. Change the hour and the day here.
PREFIX loupe: <https://w3id.org/loupe/ontology#>
PREFIX prov:  <http://www.w3.org/ns/prov#>
PREFIX xsd:   <http://www.w3.org/2001/XMLSchema#>
PREFIX rule:  <https://w3id.org/loupe/rule/>

# the principal whose history counts, once for each actor of a signal from a call (for a session, its role):
# looked up per actor, not per signal, since an actor's ARN is written in every source that names it. (Read from
# the actor's facts, not the signal's type: the signals with an actor are a third of all, and a full run keeps
# the last run's sequences, which have actors too, until the linker.)
INSERT { GRAPH ?inferred { ?a <urn:loupe:tmp:historyOf> ?p } }
WHERE {
  {
    SELECT DISTINCT ?a
    WHERE {
      GRAPH ?inferred {
        ?s loupe:actor ?a ; loupe:rule ?rule .
        FILTER (?rule != rule:finding-signal && ?rule != rule:linked-signals)
      }
    }
  }
  OPTIONAL {
    ?a loupe:sessionOf ?role
    # a person's session is a baseline of its own (see above)
    FILTER NOT EXISTS {
      ?a loupe:arn ?arn
      FILTER (CONTAINS(?arn, ":assumed-role/AWSReservedSSO_") || CONTAINS(STRAFTER(STRAFTER(?arn, ":assumed-role/"), "/"), "@"))
    }
  }
  BIND (COALESCE(?role, ?a) AS ?p)
} ;

# the first time each such principal was seen: once per principal (a role's history is that of all its
# sessions, often thousands)
INSERT { GRAPH ?inferred { ?p <urn:loupe:tmp:historyFrom> ?first } }
WHERE {
  {
    SELECT ?p (MIN(?since) AS ?first)
    WHERE {
      { SELECT DISTINCT ?p WHERE { GRAPH ?inferred { ?a <urn:loupe:tmp:historyOf> ?p } } }
      OPTIONAL {
        { ?h loupe:summaryOf ?p } UNION { ?q loupe:sessionOf ?p . ?h loupe:summaryOf ?q }
        ?h loupe:firstSeen ?since .
      }
    }
    GROUP BY ?p
  }
  FILTER (BOUND(?first))
} ;

# signals from calls (not findings) whose principal has at least a day of history before the signal
INSERT { GRAPH ?inferred { ?s <urn:loupe:tmp:baseline> ?p } }
WHERE {
  GRAPH ?inferred {
    ?a <urn:loupe:tmp:historyOf> ?p . ?p <urn:loupe:tmp:historyFrom> ?first .
    ?s loupe:actor ?a ; loupe:time ?t ; loupe:rule ?rule .
    FILTER (?rule != rule:finding-signal && ?rule != rule:linked-signals)
    FILTER (?first <= ?t - "P1D"^^xsd:dayTimeDuration)
  }
} ;

DELETE WHERE { GRAPH ?inferred { ?a <urn:loupe:tmp:historyOf> ?p } } ;
DELETE WHERE { GRAPH ?inferred { ?p <urn:loupe:tmp:historyFrom> ?first } } ;

# user agent, address and region: from the co-occurrences of the principal (or its sessions) with them
INSERT { GRAPH ?inferred { ?s loupe:newlyObserved ?what } }
WHERE {
  # (each signal's values once: a burst's thousand calls share one client, and the history below was looked up
  # for every call, 1.5 s of a recording with a scanner's bursts)
  {
    SELECT DISTINCT ?s ?p ?t ?what ?x
    WHERE {
      GRAPH ?inferred { ?s <urn:loupe:tmp:baseline> ?p ; loupe:time ?t ; prov:wasDerivedFrom ?e }
      VALUES (?role ?what) { (loupe:userAgent "user-agent") (loupe:sourceIp "address") (loupe:inRegion "region") }
      OPTIONAL { ?e ?role ?x0 }
      FILTER (BOUND(?x0))
      BIND (?x0 AS ?x)
    }
  }
  FILTER NOT EXISTS {
    { ?c loupe:summaryOf ?p } UNION { ?q loupe:sessionOf ?p . ?c loupe:summaryOf ?q }
    ?c loupe:cooccursWith ?x ; loupe:firstSeen ?first .
    FILTER (?first < ?t - "PT1H"^^xsd:dayTimeDuration)
  }
} ;

# the network: the address is in an autonomous system that none of the principal's earlier addresses was in (the
# graph urn:loupe:graph:networks, looked up in a table of address ranges, or GuardDuty's own). A new address at the
# office's provider is not a new network; a hosting provider's or an anonymizer's is.
INSERT { GRAPH ?inferred { ?s loupe:newlyObserved "asn" } }
WHERE {
  {
    SELECT DISTINCT ?s ?p ?t ?as
    WHERE {
      GRAPH ?inferred { ?s <urn:loupe:tmp:baseline> ?p ; loupe:time ?t ; prov:wasDerivedFrom ?e }
      OPTIONAL { ?e loupe:sourceIp ?ip . ?ip loupe:inAutonomousSystem ?as0 }
      FILTER (BOUND(?as0))
      BIND (?as0 AS ?as)
    }
  }
  FILTER NOT EXISTS {
    { ?c loupe:summaryOf ?p } UNION { ?q loupe:sessionOf ?p . ?c loupe:summaryOf ?q }
    ?c loupe:cooccursWith ?x ; loupe:firstSeen ?first .
    ?x loupe:inAutonomousSystem ?as .
    FILTER (?first < ?t - "PT1H"^^xsd:dayTimeDuration)
  }
} ;

# the API: from the principal's API usage summaries
INSERT { GRAPH ?inferred { ?s loupe:newlyObserved "api" } }
WHERE {
  {
    SELECT DISTINCT ?s ?p ?t ?name
    WHERE {
      GRAPH ?inferred { ?s <urn:loupe:tmp:baseline> ?p ; loupe:time ?t ; prov:wasDerivedFrom ?e }
      OPTIONAL { ?e a loupe:ApiCall ; loupe:eventName ?name0 }
      FILTER (BOUND(?name0))
      BIND (?name0 AS ?name)
    }
  }
  FILTER NOT EXISTS {
    { ?u loupe:summaryOf ?p } UNION { ?q loupe:sessionOf ?p . ?u loupe:summaryOf ?q }
    ?u a loupe:ApiUsage ; loupe:apiName ?name ; loupe:firstSeen ?first .
    FILTER (?first < ?t - "PT1H"^^xsd:dayTimeDuration)
  }
} ;

DELETE WHERE { GRAPH ?inferred { ?s <urn:loupe:tmp:baseline> ?p } }
