# SPARQL Update, a baseline run before the linker: a signal is routine when the same detector fired for the same
# principal (for a role session, any session of its role: each CI run is a new session) in at least 6 different
# hours spread over more than 24 hours. A person's session (IAM Identity Center's AWSReservedSSO_ roles, or a
# federated sign-in whose session is named by an e-mail address) counts on its own: its role is shared by every
# administrator, and their pooled habits would make an intruder in one of their sessions routine. Routine signals still link, but the linker does not count their tactics
# or severity when it decides whether linked signals form a sequence: deployments that update Lambda code and
# read secrets every hour are automation's routine, while an intrusion is a burst. Change the thresholds here.
PREFIX loupe: <https://w3id.org/loupe/ontology#>
PREFIX xsd:   <http://www.w3.org/2001/XMLSchema#>

# (first the routine detector/principal pairs on their own, then the signals: a sub-select joined to what
# follows fails in Jena 6.0.0 when it selects nothing)
INSERT { GRAPH ?inferred { ?pair <urn:loupe:tmp:routineDetector> ?det ; <urn:loupe:tmp:routineGroup> ?group } }
WHERE {
  {
    SELECT ?det ?group (COUNT(DISTINCT ?hour) AS ?hours) (MIN(?t) AS ?first) (MAX(?t) AS ?last)
    WHERE {
      GRAPH ?inferred { ?s a loupe:Signal ; loupe:detector ?det ; loupe:time ?t ; loupe:actor ?a }
      OPTIONAL {
        ?a loupe:sessionOf ?role
        # a person's session is a baseline of its own (see above)
        FILTER NOT EXISTS {
          ?a loupe:arn ?arn
          FILTER (CONTAINS(?arn, ":assumed-role/AWSReservedSSO_") || CONTAINS(STRAFTER(STRAFTER(?arn, ":assumed-role/"), "/"), "@"))
        }
      }
      BIND (COALESCE(?role, ?a) AS ?group)
      BIND (SUBSTR(STR(?t), 1, 13) AS ?hour)
    }
    GROUP BY ?det ?group
  }
  FILTER (?hours >= 6 && ?last - ?first > "PT24H"^^xsd:dayTimeDuration)
  BIND (IRI(CONCAT("urn:loupe:tmp:routine:", SHA256(CONCAT(STR(?det), " ", STR(?group))))) AS ?pair)
} ;

INSERT { GRAPH ?inferred { ?s loupe:routine true } }
WHERE {
  GRAPH ?inferred { ?s a loupe:Signal ; loupe:detector ?det ; loupe:actor ?a }
  OPTIONAL {
    ?a loupe:sessionOf ?role
    # a person's session is a baseline of its own (see above)
    FILTER NOT EXISTS {
      ?a loupe:arn ?arn
      FILTER (CONTAINS(?arn, ":assumed-role/AWSReservedSSO_") || CONTAINS(STRAFTER(STRAFTER(?arn, ":assumed-role/"), "/"), "@"))
    }
  }
  BIND (COALESCE(?role, ?a) AS ?group)
  OPTIONAL { GRAPH ?inferred { ?pair <urn:loupe:tmp:routineDetector> ?det ; <urn:loupe:tmp:routineGroup> ?group } }
  FILTER (BOUND(?pair))
} ;

DELETE WHERE { GRAPH ?inferred { ?pair <urn:loupe:tmp:routineDetector> ?det ; <urn:loupe:tmp:routineGroup> ?group } }
