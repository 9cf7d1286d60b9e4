# SPARQL Update, a baseline run before the linker: a signal is routine when the same detector fired for the same
# principal (for a role session, any session of its role: each CI run is a new session) in at least 6 different
# hours spread over more than 24 hours, or on at least 3 days always at the same hour or two of the day (a nightly
# job: a recording of a few days holds too few of its nights for the first test). A person's session (IAM Identity Center's AWSReservedSSO_ roles, or a
# federated sign-in whose session is named by an e-mail address) counts on its own: its role is shared by every
# administrator, and their pooled habits would make an intruder in one of their sessions routine. Routine signals
# still link, but the linker does not count their tactics or severity when it decides whether linked signals form
# a sequence: deployments that update Lambda code and read secrets every hour are automation's routine, while an
# intrusion is a burst. Change the thresholds here.
#
# An update derives again only the recent signals of the principals its new evidence names; their older signals
# stay in ?settled (an empty graph in a full run), and the principals of those carry
# <urn:loupe:tmp:settledActor> true in ?inferred. The baseline counts both, flags the older signals that became
# routine and unflags those that no longer are. It does so only for the baseline groups the update can change:
# those with a signal in ?inferred, or with an actor whose signal the update took out (marked
# <urn:loupe:tmp:hadSignal> true). The others' counts are as they were.
PREFIX loupe: <https://w3id.org/loupe/ontology#>
PREFIX xsd:   <http://www.w3.org/2001/XMLSchema#>

# each principal's baseline group once: itself, or for a session (not a person's) its role
INSERT { GRAPH ?inferred { ?a <urn:loupe:tmp:baselineOf> ?group } }
WHERE {
  {
    SELECT DISTINCT ?a
    WHERE {
      { GRAPH ?inferred { ?s a loupe:Signal ; loupe:actor ?a } }
      UNION
      { GRAPH ?inferred { ?a <urn:loupe:tmp:settledActor> true } }
      UNION
      { GRAPH ?inferred { ?a <urn:loupe:tmp:hadSignal> true } }
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
  BIND (COALESCE(?role, ?a) AS ?group)
} ;

# the groups with settled signals whose baseline the update can change (none in a full run, which settles none)
INSERT { GRAPH ?inferred { ?group <urn:loupe:tmp:changedGroup> true } }
WHERE {
  {
    SELECT DISTINCT ?group
    WHERE { GRAPH ?inferred { ?x <urn:loupe:tmp:settledActor> true ; <urn:loupe:tmp:baselineOf> ?group } }
  }
  FILTER EXISTS {
    { GRAPH ?inferred { ?a <urn:loupe:tmp:baselineOf> ?group . ?s loupe:actor ?a ; a loupe:Signal } }
    UNION
    { GRAPH ?inferred { ?a <urn:loupe:tmp:hadSignal> true ; <urn:loupe:tmp:baselineOf> ?group } }
  }
} ;

# (first the routine detector/group pairs on their own, then the signals: a sub-select joined to what follows
# fails in Jena 6.0.0 when it selects nothing)
INSERT { GRAPH ?inferred { ?pair <urn:loupe:tmp:routineDetector> ?det ; <urn:loupe:tmp:routineGroup> ?group } }
WHERE {
  {
    SELECT ?det ?group (COUNT(DISTINCT ?hour) AS ?hours) (MIN(?t) AS ?first) (MAX(?t) AS ?last)
           (COUNT(DISTINCT ?day) AS ?days) (COUNT(DISTINCT ?hourOfDay) AS ?hoursOfDay)
    WHERE {
      {
        GRAPH ?inferred { ?s a loupe:Signal ; loupe:detector ?det ; loupe:time ?t ; loupe:actor ?a . ?a <urn:loupe:tmp:baselineOf> ?group }
      } UNION {
        GRAPH ?inferred { ?a <urn:loupe:tmp:settledActor> true ; <urn:loupe:tmp:baselineOf> ?group . ?group <urn:loupe:tmp:changedGroup> true }
        OPTIONAL { GRAPH ?settled { ?s loupe:actor ?a ; a loupe:Signal ; loupe:detector ?det ; loupe:time ?t } }
        FILTER (BOUND(?s))
      }
      BIND (SUBSTR(STR(?t), 1, 13) AS ?hour)
      BIND (SUBSTR(STR(?t), 1, 10) AS ?day)
      BIND (SUBSTR(STR(?t), 12, 2) AS ?hourOfDay)
    }
    GROUP BY ?det ?group
  }
  FILTER (?hours >= 6 && ?last - ?first > "PT24H"^^xsd:dayTimeDuration || ?days >= 3 && ?hoursOfDay <= 2)
  BIND (IRI(CONCAT("urn:loupe:tmp:routine:", SHA256(CONCAT(STR(?det), " ", STR(?group))))) AS ?pair)
} ;

INSERT { GRAPH ?inferred { ?s loupe:routine true } }
WHERE {
  {
    GRAPH ?inferred { ?s a loupe:Signal ; loupe:detector ?det ; loupe:actor ?a . ?a <urn:loupe:tmp:baselineOf> ?group }
    OPTIONAL { GRAPH ?inferred { ?pair <urn:loupe:tmp:routineDetector> ?det ; <urn:loupe:tmp:routineGroup> ?group } }
    FILTER (BOUND(?pair))
  } UNION {
    # (from the routine pairs, which are few, to the settled signals they cover)
    GRAPH ?inferred {
      ?pair <urn:loupe:tmp:routineDetector> ?det ; <urn:loupe:tmp:routineGroup> ?group .
      ?a <urn:loupe:tmp:settledActor> true ; <urn:loupe:tmp:baselineOf> ?group .
    }
    # (from the actor, who has a few signals, not from the detector, which may have thousands)
    OPTIONAL { GRAPH ?settled { ?s loupe:actor ?a ; loupe:detector ?det ; a loupe:Signal } }
    FILTER (BOUND(?s))
    OPTIONAL { GRAPH ?settled { ?s loupe:routine ?already } }
    FILTER (!BOUND(?already))
  }
} ;

# an update's older signals that are no longer routine
DELETE { GRAPH ?settled { ?s loupe:routine true } }
WHERE {
  GRAPH ?inferred { ?a <urn:loupe:tmp:settledActor> true ; <urn:loupe:tmp:baselineOf> ?group . ?group <urn:loupe:tmp:changedGroup> true }
  OPTIONAL { GRAPH ?settled { ?s loupe:actor ?a ; loupe:routine true ; loupe:detector ?det } }
  FILTER (BOUND(?s))
  OPTIONAL { GRAPH ?inferred { ?pair <urn:loupe:tmp:routineDetector> ?det ; <urn:loupe:tmp:routineGroup> ?group } }
  FILTER (!BOUND(?pair))
} ;

DELETE WHERE { GRAPH ?inferred { ?pair <urn:loupe:tmp:routineDetector> ?det ; <urn:loupe:tmp:routineGroup> ?group } } ;
DELETE WHERE { GRAPH ?inferred { ?a <urn:loupe:tmp:baselineOf> ?group } } ;
DELETE WHERE { GRAPH ?inferred { ?group <urn:loupe:tmp:changedGroup> true } }
