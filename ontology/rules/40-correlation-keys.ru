# SPARQL Update, run after the signal rules: what each signal shares with others (its correlation keys, sub-
# properties of loupe:correlationKey). The linker (settings in 60-link-settings.ttl) then links signals with the
# same key, each within the window of the one before, and forms sequences. To link on something else, insert
# another sub-property of loupe:correlationKey here or in a rule file of your own.
#
# Each step matches within one graph, or joins others through OPTIONAL: joining patterns of two graphs fails in
# Jena 6.0.0 ("Peek iterator is already empty") when the first matches nothing.
PREFIX loupe: <https://w3id.org/loupe/ontology#>
PREFIX rule:  <https://w3id.org/loupe/rule/>
PREFIX prov:  <http://www.w3.org/ns/prov#>
PREFIX rdfs:  <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd:   <http://www.w3.org/2001/XMLSchema#>

# Identity: the principal behind the signal's actor. AssumeRole chains are followed back, across accounts, to
# the principal that started them, unless that is an AWS service (an instance's or a Lambda function's session
# stays itself). A call made with a key that another principal created for this user (a backdoor key) belongs
# to its creator.
# A principal known only by its principal ID (a cross-account AssumeRole as the role's account records it) is
# the principal with an ARN whose own calls carry that ID (the caller's trail records the same call with it).
# (from the assumers, which are few, by the ID in the node's IRI: reading every principal's ID would read one
# copy of it per source that names the principal)
INSERT { GRAPH ?inferred { ?n <urn:loupe:tmp:sameAs> ?named } }
WHERE {
  { SELECT DISTINCT ?n WHERE { ?x loupe:assumedBy ?n FILTER (STRSTARTS(STR(?n), "urn:loupe:principal-id:")) } }
  BIND (STRAFTER(STR(?n), "urn:loupe:principal-id:") AS ?pid)
  OPTIONAL { ?named0 loupe:principalId ?pid FILTER (?named0 != ?n) }
  FILTER (BOUND(?named0))
  BIND (?named0 AS ?named)
} ;
# A Kubernetes subject that EKS authenticated with AWS credentials is the principal they belong to.
INSERT { GRAPH ?inferred { ?n <urn:loupe:tmp:sameAs> ?aws } }
WHERE { ?n loupe:authenticatedAs ?aws } ;
# (each principal's chain once, then its signals: following the chain for every signal cost 2-3 times more)
INSERT { GRAPH ?inferred { ?b <urn:loupe:tmp:resolvesTo> ?who } }
WHERE {
  {
    SELECT DISTINCT ?b
    WHERE {
      GRAPH ?inferred { ?s a loupe:Signal ; loupe:actor ?a ; prov:wasDerivedFrom ?e }
      OPTIONAL { ?e loupe:accessKey/loupe:createdBy ?maker }
      BIND (COALESCE(?maker, ?a) AS ?b)
    }
  }
  OPTIONAL {
    ?b (loupe:assumedBy|<urn:loupe:tmp:sameAs>)+ ?root .
    FILTER NOT EXISTS { ?root loupe:assumedBy|<urn:loupe:tmp:sameAs> ?earlier }
    FILTER NOT EXISTS { ?root a loupe:ServicePrincipal }
  }
  BIND (COALESCE(?root, ?b) AS ?who)
} ;
INSERT { GRAPH ?inferred { ?s loupe:resolvedActor ?who ; loupe:identityKey ?who } }
WHERE {
  GRAPH ?inferred { ?s a loupe:Signal ; loupe:actor ?a ; prov:wasDerivedFrom ?e }
  OPTIONAL { ?e loupe:accessKey/loupe:createdBy ?maker }
  BIND (COALESCE(?maker, ?a) AS ?b)
  OPTIONAL { GRAPH ?inferred { ?b <urn:loupe:tmp:resolvesTo> ?who0 } }
  FILTER (BOUND(?who0))
  BIND (?who0 AS ?who)
} ;
DELETE WHERE { GRAPH ?inferred { ?b <urn:loupe:tmp:resolvesTo> ?who } } ;
DELETE WHERE { GRAPH ?inferred { ?n <urn:loupe:tmp:sameAs> ?named } } ;

# Automation: service-linked roles and their sessions, principals that only ever called through
# infrastructure-as-code and CI clients (and Kubernetes subjects only ever seen through GitOps controllers: Argo CD,
# Flux), and roles only AWS services called with (read from the summary of the
# user agents and addresses each principal used).
INSERT { GRAPH ?inferred { ?p a loupe:AutomatedPrincipal } }
WHERE {
  ?p loupe:arn ?arn .
  FILTER (CONTAINS(?arn, ":role/aws-service-role/") || CONTAINS(?arn, ":assumed-role/AWSServiceRole"))
} ;
# (user agents first: there are few of them and many co-occurrences; what follows is OPTIONAL because a join
# whose first part matches nothing fails in Jena 6.0.0, "Peek iterator is already empty")
INSERT { GRAPH ?inferred { ?p a loupe:AutomatedPrincipal } }
WHERE {
  ?ua loupe:userAgentString ?text .
  FILTER (REGEX(?text, "terraform|pulumi|cloudformation|aws-cdk|cdk/|ansible|crossplane|github-actions|gitlab|jenkins|circleci|buildkite|atlantis|spacelift|codebuild|codepipeline|^argocd-|^(kustomize|helm|source)-controller/|^flux/", "i"))
  OPTIONAL {
    ?c loupe:cooccursWith ?ua .
    ?c loupe:summaryOf ?candidate .
    ?candidate a ?principal .
    VALUES ?principal { loupe:IamUser loupe:IamRole loupe:RoleSession loupe:FederatedUser loupe:Principal loupe:KubernetesSubject }
    FILTER NOT EXISTS {
      ?other loupe:summaryOf ?candidate ; loupe:cooccursWith ?ua2 ; a loupe:Cooccurrence .
      ?ua2 loupe:userAgentString ?text2 .
      # (the console is a person's client, whatever host it names)
      FILTER (!REGEX(?text2, "terraform|pulumi|cloudformation|aws-cdk|cdk/|ansible|crossplane|github-actions|gitlab|jenkins|circleci|buildkite|atlantis|spacelift|codebuild|codepipeline|^argocd-|^(kustomize|helm|source)-controller/|^flux/|^AWS Internal$|amazonaws\\.com", "i")
              || REGEX(?text2, "^(console|signin)\\.", "i"))
    }
  }
  FILTER (BOUND(?candidate))
  BIND (?candidate AS ?p)
} ;
# An AWS service calling with a role of the account (AWS Backup, CloudFormation, Config): CloudTrail gives the
# service's host as user agent and as source. Only a principal that never called from an address is taken for
# one: a user agent is whatever the caller says, the source is not.
INSERT { GRAPH ?inferred { ?p a loupe:AutomatedPrincipal } }
WHERE {
  ?ua loupe:userAgentString ?text .
  FILTER (REGEX(?text, "^(?!console\\.|signin\\.)[a-z0-9-]+(\\.[a-z0-9-]+)*\\.amazonaws\\.com$", "i"))
  OPTIONAL {
    ?c loupe:cooccursWith ?ua .
    ?c loupe:summaryOf ?candidate .
    ?candidate a ?principal .
    VALUES ?principal { loupe:IamRole loupe:RoleSession }
    FILTER NOT EXISTS { ?from loupe:summaryOf ?candidate ; loupe:cooccurrenceRole loupe:sourceIp }
    FILTER NOT EXISTS {
      ?other loupe:summaryOf ?candidate ; loupe:cooccursWith ?ua2 ; a loupe:Cooccurrence .
      ?ua2 loupe:userAgentString ?text2 .
      FILTER (!REGEX(?text2, "^AWS Internal$|amazonaws\\.com", "i") || REGEX(?text2, "^(console|signin)\\.", "i"))
    }
  }
  FILTER (BOUND(?candidate))
  BIND (?candidate AS ?p)
} ;

# Deployed code: what the session code or a template runs as (a Lambda function's, an instance's, a CloudFormation
# stack's, a Glue job's..., loupe:deploysSession; an ECS task's) does within the link window after a principal
# that is not automation deployed it with a role (created the function or replaced its code, launched the
# instance) is that principal's story: the signal's identity is the principal behind that call (loupe:deployedBy). Passing a
# role to code of one's own is how an intruder acts with a role they may not assume (CloudGoat's lambda_privesc,
# an instance launched with an administrator's profile). Later, the code's work is its own: a function an
# administrator deployed last month is not her. The latest such call before the signal decides, automation's
# included: CloudFormation, Glue and SageMaker give every stack or job of a role one session name, and after a
# pipeline's own deployment with that role the session's work is the pipeline's again.
# An instance launched (or given a role, loupe:givesInstanceRole), or commands run on one (SSM, a shell, its user
# data, loupe:runsOnInstance), make only its calls from the instance's own addresses (those it called from
# before; for a launch or a new role, the first it called from)
# or from the caller's address theirs: an administrator's launch or morning shell does not make a thief's use of
# the credentials from elsewhere hers.
# (From the deployments, which are few; the signals through OPTIONAL, since a join whose first part matches
# nothing fails in Jena 6.0.0.)
INSERT { GRAPH ?inferred { ?s <urn:loupe:tmp:deploy> ?c } }
WHERE {
  {
    SELECT DISTINCT ?c ?a ?tc ?p ?onHost ?launch
    WHERE {
      { ?c loupe:deploysSession ?a }
      UNION { ?c loupe:launchesInstance|loupe:givesInstanceRole ?i . ?a loupe:ofInstance ?i . BIND (true AS ?onHost) BIND (true AS ?launch) }
      UNION { ?c loupe:runsOnInstance ?i . ?a loupe:ofInstance ?i . BIND (true AS ?onHost) }
      UNION { ?c loupe:startsTask ?task . ?a loupe:ofTask ?task }
      ?c loupe:eventTime ?tc ; loupe:actor ?p .
    }
  }
  OPTIONAL { ?settings a loupe:LinkSettings ; loupe:linkWindow ?set }
  BIND (COALESCE(?set, "PT24H"^^xsd:dayTimeDuration) AS ?window)
  OPTIONAL { GRAPH ?inferred { ?s0 loupe:actor ?a ; loupe:time ?t ; a loupe:Signal } FILTER (?tc <= ?t && ?t - ?tc <= ?window) }
  FILTER (BOUND(?s0))
  FILTER (!BOUND(?onHost) || EXISTS {
    GRAPH ?inferred { ?s0 prov:wasDerivedFrom ?e }
    ?e loupe:sourceIp ?ip .
    { ?c loupe:sourceIp ?ip } UNION { ?before loupe:sourceIp ?ip ; loupe:actor ?a ; loupe:eventTime ?tb FILTER (?tb < ?tc) }
    UNION {
      ?after loupe:sourceIp ?ip ; loupe:actor ?a ; loupe:eventTime ?tf FILTER (BOUND(?launch) && ?tf >= ?tc)
      FILTER NOT EXISTS { ?sooner loupe:actor ?a ; loupe:eventTime ?ts FILTER (?ts >= ?tc && ?ts < ?tf) }
    }
  })
  BIND (?s0 AS ?s)
} ;
DELETE { GRAPH ?inferred { ?s <urn:loupe:tmp:deploy> ?earlier } }
WHERE {
  GRAPH ?inferred { ?s <urn:loupe:tmp:deploy> ?earlier , ?later }
  ?earlier loupe:eventTime ?t1 .
  ?later loupe:eventTime ?t2 .
  FILTER (?t1 < ?t2)
} ;
DELETE { GRAPH ?inferred { ?s loupe:resolvedActor ?old ; loupe:identityKey ?old } }
INSERT { GRAPH ?inferred { ?s loupe:resolvedActor ?who ; loupe:identityKey ?who ; loupe:deployedBy ?c } }
WHERE {
  GRAPH ?inferred { ?s <urn:loupe:tmp:deploy> ?c ; loupe:resolvedActor ?old }
  ?c loupe:actor ?p .
  # (nor an AWS service: ECS's scheduler starting a service's tasks is no one's story)
  FILTER NOT EXISTS { GRAPH ?inferred { ?p a loupe:AutomatedPrincipal } }
  FILTER NOT EXISTS { ?p a loupe:ServicePrincipal }
  OPTIONAL {
    ?p loupe:assumedBy+ ?root .
    FILTER NOT EXISTS { ?root loupe:assumedBy ?earlier }
    FILTER NOT EXISTS { ?root a loupe:ServicePrincipal }
  }
  BIND (COALESCE(?root, ?p) AS ?who)
  FILTER NOT EXISTS { GRAPH ?inferred { ?who a loupe:AutomatedPrincipal } }
} ;
DELETE WHERE { GRAPH ?inferred { ?s <urn:loupe:tmp:deploy> ?c } } ;

# Endpoint: the address and user agent of the call behind the signal, so that two identities used from one
# client are linked. Never the address alone (everyone behind a NAT shares it), never AWS's own callers or
# services, and never for automation.
INSERT {
  GRAPH ?inferred {
    ?s loupe:endpointKey ?end .
    ?end a loupe:Endpoint ; loupe:endpointAddress ?ip ; loupe:endpointUserAgent ?ua ; rdfs:label ?label .
  }
}
WHERE {
  # (MINUS reads the few automated and service principals once; FILTER NOT EXISTS looked each signal up: 350 ->
  # 220 ms at 1M events)
  GRAPH ?inferred {
    ?s a loupe:Signal ; prov:wasDerivedFrom ?e ; loupe:actor ?a ; loupe:resolvedActor ?who .
    MINUS { ?a a loupe:AutomatedPrincipal }
    MINUS { ?who a loupe:AutomatedPrincipal }
  }
  MINUS { ?who a loupe:ServicePrincipal }
  # in the call's own graph: an entity is described in every source that names it, and reading a user agent's
  # text through the union of its thousands of copies made this step 2-3 times slower
  OPTIONAL {
    GRAPH ?g { ?e loupe:sourceIp ?ip0 . ?ip0 loupe:address ?address . ?e loupe:userAgent ?ua0 . ?ua0 loupe:userAgentString ?text }
  }
  FILTER (BOUND(?ip0) && BOUND(?ua0) && ?text != "AWS Internal" && !CONTAINS(?text, "amazonaws.com"))
  BIND (?ip0 AS ?ip)
  BIND (?ua0 AS ?ua)
  BIND (IRI(CONCAT("urn:loupe:endpoint:", SUBSTR(SHA256(CONCAT(STR(?ip), " ", STR(?ua))), 1, 40))) AS ?end)
  BIND (CONCAT(?address, " · ", ?text) AS ?label)
} ;

# Habit: an address the signal's actor had already called from longer than the link window before the signal
# is its everyday one (an office behind one address, where everyone runs the same browser build). Its endpoint
# then meets only signals for which the endpoint is new (loupe:habitualEndpointKey, meetsOnly endpointKey): two
# administrators working from the office are not linked, an intruder's new client still meets both.
DELETE { GRAPH ?inferred { ?s loupe:endpointKey ?end } }
INSERT { GRAPH ?inferred { ?s loupe:habitualEndpointKey ?end } }
WHERE {
  OPTIONAL { ?settings a loupe:LinkSettings ; loupe:linkWindow ?set }
  BIND (COALESCE(?set, "PT24H"^^xsd:dayTimeDuration) AS ?window)
  GRAPH ?inferred { ?s loupe:endpointKey ?end ; loupe:actor ?a ; loupe:time ?t . ?end loupe:endpointAddress ?ip }
  OPTIONAL {
    GRAPH <urn:loupe:graph:summary> {
      ?c loupe:summaryOf ?a ; loupe:cooccursWith ?ip ; loupe:cooccurrenceRole loupe:sourceIp ; loupe:firstSeen ?first
    }
  }
  FILTER (BOUND(?first) && ?t - ?first > ?window)
} ;

# Habit, whole (loupe:everydayClient): a signal whose every call came from the actor's everyday address and a
# user agent the actor had also used longer than the link window before is the person's own work from their own
# machine. Below the minimum severity it does not count toward a sequence (loupe:habitual, uncounted.rq) and
# keeps no identity key: an administrator's work of the afternoon does not join an intruder's night with her
# stolen session, and an administrator's days of work are no story. An intruder's client is new to the identity
# it uses, in address or user agent.
INSERT { GRAPH ?inferred { ?s loupe:everydayClient true } }
WHERE {
  {
    SELECT ?s (MIN(?known) AS ?every)
    WHERE {
      OPTIONAL { ?settings a loupe:LinkSettings ; loupe:linkWindow ?set }
      BIND (COALESCE(?set, "PT24H"^^xsd:dayTimeDuration) AS ?window)
      GRAPH ?inferred { ?s loupe:habitualEndpointKey ?end ; loupe:actor ?a ; loupe:time ?t . ?end loupe:endpointUserAgent ?ua }
      OPTIONAL {
        GRAPH <urn:loupe:graph:summary> {
          ?c loupe:summaryOf ?a ; loupe:cooccursWith ?ua ; loupe:cooccurrenceRole loupe:userAgent ; loupe:firstSeen ?first
        }
      }
      BIND (IF(BOUND(?first) && ?t - ?first > ?window, 1, 0) AS ?known)
    }
    GROUP BY ?s
  }
  FILTER (?every = 1)
  # a call from a new address as well (a burst from two clients) keeps the signal counted
  FILTER NOT EXISTS { GRAPH ?inferred { ?s loupe:endpointKey ?new } }
} ;
# The same for calls made through the console, whose user agent (AWS Internal, a console host) every console
# user shares and says nothing: the everyday address decides. Such calls make no endpoint. (A burst is judged by
# one of its calls: reading each of a burst's hundreds of calls cost more than the rest of this file.)
INSERT { GRAPH ?inferred { ?s loupe:everydayClient true } }
WHERE {
  {
    SELECT ?s ?a ?t (MIN(?e0) AS ?e)
    WHERE {
      GRAPH ?inferred {
        ?s loupe:identityKey ?who ; loupe:actor ?a ; loupe:time ?t ; prov:wasDerivedFrom ?e0 .
        # (MINUS: a FILTER NOT EXISTS here fails in Jena 6.0.0 when nothing matches, "Peek iterator is already empty")
        MINUS { ?s loupe:endpointKey ?k1 }
        MINUS { ?s loupe:habitualEndpointKey ?k2 }
        MINUS { ?a a loupe:AutomatedPrincipal }
        # (a finding is no call: 10K findings' signals made this step cost half a second)
        MINUS { ?s loupe:rule rule:finding-signal }
      }
    }
    GROUP BY ?s ?a ?t
  }
  OPTIONAL { GRAPH ?g { ?e loupe:sourceIp ?ip0 ; loupe:userAgent ?ua0 . ?ip0 loupe:address ?address . ?ua0 loupe:userAgentString ?text } }
  FILTER (BOUND(?text) && (?text = "AWS Internal" || REGEX(?text, "^[a-z0-9.-]*console[a-z0-9.-]*\\.amazonaws\\.com$")))
  OPTIONAL {
    GRAPH <urn:loupe:graph:summary> {
      ?c loupe:summaryOf ?a ; loupe:cooccursWith ?ip0 ; loupe:cooccurrenceRole loupe:sourceIp ; loupe:firstSeen ?first
    }
  }
  OPTIONAL { ?settings a loupe:LinkSettings ; loupe:linkWindow ?set }
  FILTER (BOUND(?first) && ?t - ?first > COALESCE(?set, "PT24H"^^xsd:dayTimeDuration))
} ;
# ... unless the actor raised a signal from that client (address and user agent) while it was still new to it:
# an intruder who comes back days later from the same server, with the same tools, is not at home there. (An
# update's older signals are in ?settled, an empty graph in a full run.)
# A client is its endpoint (address and user agent; for console calls, the same IRI made from their call). The
# earlier signals from it are found through their endpoint keys, and only console signals, which have none,
# through their calls. (The comparison of times is made in one graph: a join of two graphs' patterns fails in
# Jena 6.0.0 when the first matches nothing.)
INSERT { GRAPH ?inferred { ?s <urn:loupe:tmp:homeAt> ?end } }
WHERE { GRAPH ?inferred { ?s loupe:everydayClient true ; loupe:habitualEndpointKey ?end } } ;
INSERT { GRAPH ?inferred { ?s <urn:loupe:tmp:homeAt> ?end . ?a <urn:loupe:tmp:consoleHome> true } }
WHERE {
  GRAPH ?inferred { ?s loupe:everydayClient true ; loupe:actor ?a ; prov:wasDerivedFrom ?e }
  OPTIONAL { GRAPH ?g { ?e loupe:sourceIp ?ip0 ; loupe:userAgent ?ua0 } }
  FILTER (BOUND(?ip0))
  FILTER NOT EXISTS { GRAPH ?inferred { ?s loupe:habitualEndpointKey ?k } }
  BIND (IRI(CONCAT("urn:loupe:endpoint:", SUBSTR(SHA256(CONCAT(STR(?ip0), " ", STR(?ua0))), 1, 40))) AS ?end)
} ;
INSERT { GRAPH ?inferred { ?o <urn:loupe:tmp:newAt> ?end ; <urn:loupe:tmp:by> ?a ; <urn:loupe:tmp:at> ?to } }
WHERE {
  GRAPH ?inferred {
    ?s <urn:loupe:tmp:homeAt> ?end ; loupe:actor ?a .
    ?o ?key ?end ; loupe:actor ?a ; loupe:time ?to .
    VALUES ?key { loupe:endpointKey loupe:habitualEndpointKey }
  }
  FILTER NOT EXISTS { GRAPH ?inferred { ?o loupe:everydayClient true } }
} ;
# (of the older signals, only the earliest per client and actor counts: one row for them, not one per signal)
INSERT { GRAPH ?inferred { ?o <urn:loupe:tmp:newAt> ?end ; <urn:loupe:tmp:by> ?a ; <urn:loupe:tmp:at> ?to } }
WHERE {
  {
    SELECT ?end ?a (MIN(?t0) AS ?to)
    WHERE {
      GRAPH ?inferred { ?s <urn:loupe:tmp:homeAt> ?end ; loupe:actor ?a }
      OPTIONAL { GRAPH ?settled { ?o0 ?key ?end ; loupe:actor ?a ; loupe:time ?t0 . VALUES ?key { loupe:endpointKey loupe:habitualEndpointKey } } }
      FILTER (BOUND(?o0))
      FILTER NOT EXISTS { GRAPH ?settled { ?o0 loupe:everydayClient true } }
    }
    GROUP BY ?end ?a
  }
  BIND (IRI(CONCAT("urn:loupe:tmp:earliest:", SHA256(CONCAT(STR(?end), " ", STR(?a))))) AS ?o)
} ;
# (console signals of those actors with their calls first, then the calls' clients: an OPTIONAL that found no
# signal left the call unbound for the next one, which then read every call in the store)
INSERT { GRAPH ?inferred { ?o <urn:loupe:tmp:olderCall> ?e0 ; <urn:loupe:tmp:by> ?a ; <urn:loupe:tmp:at> ?t0 } }
WHERE {
  GRAPH ?inferred { ?a <urn:loupe:tmp:consoleHome> true . ?o ?p ?a ; loupe:time ?t0 ; prov:wasDerivedFrom ?e0 . VALUES ?p { loupe:actor } }
  FILTER NOT EXISTS { GRAPH ?inferred { ?o loupe:everydayClient true } }
  FILTER NOT EXISTS { GRAPH ?inferred { ?o loupe:endpointKey ?k1 } }
  FILTER NOT EXISTS { GRAPH ?inferred { ?o loupe:habitualEndpointKey ?k2 } }
} ;
INSERT { GRAPH ?inferred { ?o <urn:loupe:tmp:olderCall> ?e0 ; <urn:loupe:tmp:by> ?a ; <urn:loupe:tmp:at> ?t0 } }
WHERE {
  GRAPH ?inferred { ?a <urn:loupe:tmp:consoleHome> true }
  OPTIONAL { GRAPH ?settled { ?o0 loupe:actor ?a ; loupe:time ?t0 ; prov:wasDerivedFrom ?e0 } }
  FILTER (BOUND(?o0))
  FILTER NOT EXISTS { GRAPH ?settled { ?o0 loupe:everydayClient true } }
  FILTER NOT EXISTS { GRAPH ?settled { ?o0 loupe:endpointKey ?k1 } }
  FILTER NOT EXISTS { GRAPH ?settled { ?o0 loupe:habitualEndpointKey ?k2 } }
  BIND (?o0 AS ?o)
} ;
INSERT { GRAPH ?inferred { ?o <urn:loupe:tmp:newAt> ?end } }
WHERE {
  GRAPH ?inferred { ?o <urn:loupe:tmp:olderCall> ?e0 }
  OPTIONAL { GRAPH ?g { ?e0 loupe:sourceIp ?ip1 ; loupe:userAgent ?ua1 } }
  FILTER (BOUND(?ip1))
  BIND (IRI(CONCAT("urn:loupe:endpoint:", SUBSTR(SHA256(CONCAT(STR(?ip1), " ", STR(?ua1))), 1, 40))) AS ?end)
} ;
DELETE WHERE { GRAPH ?inferred { ?o <urn:loupe:tmp:olderCall> ?e0 } } ;
DELETE WHERE { GRAPH ?inferred { ?a <urn:loupe:tmp:consoleHome> true } } ;
DELETE { GRAPH ?inferred { ?s loupe:everydayClient true } }
WHERE {
  GRAPH ?inferred {
    ?s loupe:everydayClient true ; <urn:loupe:tmp:homeAt> ?end ; loupe:actor ?a ; loupe:time ?t .
    ?o <urn:loupe:tmp:newAt> ?end ; <urn:loupe:tmp:by> ?a ; <urn:loupe:tmp:at> ?to .
    FILTER (?to < ?t)
  }
} ;
DELETE WHERE { GRAPH ?inferred { ?s <urn:loupe:tmp:homeAt> ?end } } ;
DELETE WHERE { GRAPH ?inferred { ?o <urn:loupe:tmp:newAt> ?end } } ;
DELETE WHERE { GRAPH ?inferred { ?o <urn:loupe:tmp:by> ?a } } ;
DELETE WHERE { GRAPH ?inferred { ?o <urn:loupe:tmp:at> ?to } } ;
# What the habit excuses: below the link settings' minSeverity, the signal does not count and keeps no
# identity key (loupe:habitual). A high-severity one (trail stopped, an administrator made, a snapshot shared)
# counts whatever the client: tampering is never routine enough to hide, and an intruder who spent a quiet day on
# a stolen identity's client before acting is at home there too.
INSERT { GRAPH ?inferred { ?s loupe:habitual true } }
WHERE {
  GRAPH ?inferred { ?s loupe:everydayClient true ; loupe:severity ?sev }
  OPTIONAL { ?settings a loupe:LinkSettings ; loupe:minSeverity ?set }
  FILTER (?sev < COALESCE(?set, 7.0))
} ;
DELETE { GRAPH ?inferred { ?s loupe:identityKey ?who } }
WHERE { GRAPH ?inferred { ?s loupe:habitual true ; loupe:identityKey ?who } } ;

# Flows (detectors-flows.ttl): a flow signal meets the calls made from the address it reached (every client,
# address and user agent, seen there) and the findings that name that address.
INSERT { GRAPH ?inferred { ?s loupe:endpointKey ?end } }
WHERE {
  GRAPH ?inferred { ?s a loupe:Signal ; loupe:rule rule:flow-detector ; loupe:remoteAddress ?ip }
  # any graph: in an update, the endpoints of signals outside its scope are in the inferred graph, not the working one
  OPTIONAL { ?end0 a loupe:Endpoint ; loupe:endpointAddress ?ip }
  FILTER (BOUND(?end0))
  BIND (?end0 AS ?end)
} ;
INSERT { GRAPH ?inferred { ?s loupe:resourceKey ?ip . ?f loupe:resourceKey ?ip } }
WHERE {
  GRAPH ?inferred { ?s a loupe:Signal ; loupe:rule rule:flow-detector ; loupe:remoteAddress ?ip }
  # any graph, as above: the finding's signal may be outside an update's scope
  OPTIONAL { ?finding loupe:concerns ?ip0 FILTER (?ip0 = ?ip) ?f loupe:rule rule:finding-signal ; prov:wasDerivedFrom ?finding }
  FILTER (BOUND(?f))
} ;
INSERT { GRAPH ?inferred { ?s loupe:resourceKey ?i } }
WHERE {
  GRAPH ?inferred { ?s a loupe:Signal ; loupe:rule rule:flow-detector ; prov:wasDerivedFrom ?flow }
  OPTIONAL { ?flow loupe:ofInstance ?i0 }
  FILTER (BOUND(?i0))
  BIND (?i0 AS ?i)
} ;

# DNS (detectors-flows.ttl): a DNS signal meets the instance's other signals, the findings that name its domain,
# and the calls made from the address the name resolved to.
INSERT { GRAPH ?inferred { ?s loupe:resourceKey ?i } }
WHERE {
  GRAPH ?inferred { ?s a loupe:Signal ; loupe:rule rule:dns-detector ; prov:wasDerivedFrom ?q }
  OPTIONAL { ?q loupe:ofInstance ?i0 }
  FILTER (BOUND(?i0))
  BIND (?i0 AS ?i)
} ;
INSERT { GRAPH ?inferred { ?s loupe:resourceKey ?d . ?f loupe:resourceKey ?d } }
WHERE {
  GRAPH ?inferred { ?s a loupe:Signal ; loupe:rule rule:dns-detector ; loupe:remoteName ?d }
  # any graph: the finding's signal may be outside an update's scope
  OPTIONAL { ?finding loupe:concerns ?d0 FILTER (?d0 = ?d) ?f loupe:rule rule:finding-signal ; prov:wasDerivedFrom ?finding }
  FILTER (BOUND(?f))
} ;
INSERT { GRAPH ?inferred { ?s loupe:endpointKey ?end } }
WHERE {
  GRAPH ?inferred { ?s a loupe:Signal ; loupe:rule rule:dns-detector ; loupe:remoteAddress ?ip }
  OPTIONAL { ?end0 a loupe:Endpoint ; loupe:endpointAddress ?ip }
  FILTER (BOUND(?end0))
  BIND (?end0 AS ?end)
} ;

# Resource: an instance, an ECS task or access key that marks a foothold. A call made with an instance's (or a
# task's) credentials meets the findings about that instance (or task); a finding about a key meets the key's use. A call aimed at an instance gets a
# target key instead, which meets these and not other calls aimed at the instance (loupe:meetsOnly): an
# administrator's command on an instance an intruder touched the day before is no link between them.
# Buckets link findings only (many principals touch a bucket for good reasons). Automation never links this way.
INSERT { GRAPH ?inferred { ?s loupe:resourceKey ?r } }
WHERE {
  GRAPH ?inferred { ?s a loupe:Signal ; prov:wasDerivedFrom ?e ; loupe:actor ?a ; loupe:resolvedActor ?who }
  OPTIONAL { ?a loupe:ofInstance|loupe:ofTask ?i }
  FILTER (BOUND(?i))
  BIND (?i AS ?r)
} ;
# (Not for commands run on the instance or a shell opened on it, loupe:runsOnInstance: what the instance does
# after them is the caller's only through the deployed-code step above, from the instance's own addresses or the
# caller's. Otherwise every administrator's shell joined the story of a theft from the same instance that day.)
INSERT { GRAPH ?inferred { ?s loupe:targetKey ?r } }
WHERE {
  GRAPH ?inferred { ?s a loupe:Signal ; prov:wasDerivedFrom ?e ; loupe:resolvedActor ?who }
  OPTIONAL { ?e loupe:target ?t . ?t a loupe:Ec2Instance FILTER NOT EXISTS { ?e loupe:runsOnInstance ?t } }
  FILTER (BOUND(?t))
  BIND (?t AS ?r)
} ;
# A signalled launch aims at the instances it launched: what the Resolver, a flow log or a finding then says of
# such an instance (a GPU instance asking for its mining pool) meets the launch. (A step of its own: a UNION of
# the two in one OPTIONAL took 13.4 s at 1M events, this 67-74 ms.)
INSERT { GRAPH ?inferred { ?s loupe:targetKey ?r } }
WHERE {
  GRAPH ?inferred { ?s a loupe:Signal ; prov:wasDerivedFrom ?e ; loupe:resolvedActor ?who }
  OPTIONAL { ?e loupe:launchesInstance ?t }
  FILTER (BOUND(?t))
  BIND (?t AS ?r)
} ;
INSERT { GRAPH ?inferred { ?s loupe:resourceKey ?r } }
WHERE {
  GRAPH ?inferred { ?s a loupe:Signal ; prov:wasDerivedFrom ?e ; loupe:resolvedActor ?who }
  OPTIONAL { ?e loupe:accessKey ?k }
  FILTER (BOUND(?k))
  BIND (?k AS ?r)
} ;
INSERT { GRAPH ?inferred { ?s loupe:resourceKey ?r } }
WHERE {
  GRAPH ?inferred { ?s a loupe:Signal ; loupe:rule rule:finding-signal ; prov:wasDerivedFrom ?f }
  # in the finding's own graph, which describes what it names: an instance's type through the union graph is
  # one copy per source that names the instance. (The kinds in a filter outside: a VALUES block inside the
  # OPTIONAL is joined anew for each finding, 530 instead of 280 ms for 10K findings.)
  OPTIONAL { GRAPH ?g { ?f loupe:concerns ?about . ?about a ?kind } }
  FILTER (BOUND(?about) && ?kind IN (loupe:Ec2Instance, loupe:EcsTask, loupe:AccessKey, loupe:S3Bucket))
  BIND (?about AS ?r)
} ;
# Victim: a signal that says an identity is compromised though another made the call (AWS quarantining a user's
# leaked key) meets that identity's own signals. Add the detectors that name a victim this way here.
INSERT { GRAPH ?inferred { ?s loupe:victimKey ?user } }
WHERE {
  GRAPH ?inferred { ?s a loupe:Signal ; loupe:detector ?det ; prov:wasDerivedFrom ?e }
  VALUES ?det { <https://w3id.org/loupe/detector/iam-key-quarantined> }
  OPTIONAL { ?e loupe:target ?u . ?u a loupe:IamUser }
  FILTER (BOUND(?u))
  BIND (?u AS ?user)
} ;
# Grant: a call that gave an IAM user a way in (created it, made it an administrator, a key, a console
# password, an SSH key, a service credential or a signing certificate), made by another principal, meets that
# user's own signals: an intruder who makes a user and signs in as it. (Calls with a key made for another user already resolve to its creator; the grant key reaches the
# user's other signals, such as a console sign-in.)
INSERT { GRAPH ?inferred { ?s loupe:grantKey ?user } }
WHERE {
  GRAPH ?inferred { ?s a loupe:Signal ; loupe:detector ?det ; prov:wasDerivedFrom ?e ; loupe:actor ?a }
  VALUES ?det {
    <https://w3id.org/loupe/detector/iam-user-created> <https://w3id.org/loupe/detector/iam-admin-policy-to-user>
    <https://w3id.org/loupe/detector/iam-access-key-for-other-user> <https://w3id.org/loupe/detector/iam-login-profile-created>
    <https://w3id.org/loupe/detector/iam-login-profile-changed-for-other-user> <https://w3id.org/loupe/detector/iam-other-credentials-created>
  }
  OPTIONAL { ?e loupe:target ?u . ?u a loupe:IamUser }
  FILTER (BOUND(?u) && ?u != ?a)
  BIND (?u AS ?user)
} ;
# Another account let in (loupe:grantee: a resource policy's or a role trust's principal, an image or snapshot
# shared, a resource share's principal, a replication destination): the granting call's signal meets the signals
# of that account's principals acting in another account's evidence (loupe:accountAtWorkKey), such as their
# downloads from the bucket opened to them; not other grants to the account (a partner's feed is not an
# intruder's copy). Not their signals in their own account's trail (an organisation's trail holds every
# account's work; a share with a sibling account is no link to all of it).
INSERT { GRAPH ?inferred { ?s loupe:grantedAccountKey ?acct } }
WHERE {
  GRAPH ?inferred { ?s a loupe:Signal ; prov:wasDerivedFrom ?e }
  OPTIONAL { ?e loupe:grantee ?acct0 }
  FILTER (BOUND(?acct0))
  BIND (?acct0 AS ?acct)
} ;
# (the principals of those accounts first, then their signals: a FILTER holds for its whole group, so one step
# with two OPTIONALs let the second bind what the first had not found)
INSERT { GRAPH ?inferred { ?w <urn:loupe:tmp:ofGrantedAccount> ?acct } }
WHERE {
  # any graph: in an update, the grant may be settled in the inferred graph
  { SELECT DISTINCT ?acct WHERE { ?g loupe:grantedAccountKey ?acct } }
  OPTIONAL { ?w0 loupe:inAccount ?acct }
  FILTER (BOUND(?w0))
  BIND (?w0 AS ?w)
} ;
INSERT { GRAPH ?inferred { ?o loupe:accountAtWorkKey ?acct } }
WHERE {
  GRAPH ?inferred { ?w <urn:loupe:tmp:ofGrantedAccount> ?acct . ?o a loupe:Signal ; loupe:resolvedActor ?w ; prov:wasDerivedFrom ?e }
  FILTER NOT EXISTS { ?e loupe:account ?acct }
} ;
DELETE WHERE { GRAPH ?inferred { ?w <urn:loupe:tmp:ofGrantedAccount> ?acct } } ;
# A sign-in without MFA within a day after another principal set the user's console password is that call's
# consequence: nobody has MFA before their first sign-in. It links (above) but does not count (uncounted.rq).
# Any graph: in an update, the call that set the password may be in older evidence.
INSERT { GRAPH ?inferred { ?login loupe:passwordSetBy ?grant } }
WHERE {
  GRAPH ?inferred {
    ?login a loupe:Signal ; loupe:detector <https://w3id.org/loupe/detector/console-login-without-mfa> ;
           loupe:actor ?user ; loupe:time ?t
  }
  OPTIONAL {
    ?grant0 loupe:detector ?det ; loupe:time ?t0 ; loupe:actor ?maker ; prov:wasDerivedFrom ?e .
    VALUES ?det { <https://w3id.org/loupe/detector/iam-login-profile-created> <https://w3id.org/loupe/detector/iam-login-profile-changed-for-other-user> }
    ?e loupe:target ?u .
    FILTER (?u = ?user && ?maker != ?user && ?t0 <= ?t && ?t - ?t0 <= "P1D"^^xsd:dayTimeDuration)
  }
  FILTER (BOUND(?grant0))
  BIND (?grant0 AS ?grant)
} ;
# A first sign-in links to whoever set the password (the grant key above), not to everyone at its address: a
# colleague's first day at the office would join every administrator there into one story.
DELETE { GRAPH ?inferred { ?login loupe:endpointKey ?end } }
WHERE { GRAPH ?inferred { ?login loupe:passwordSetBy ?grant ; loupe:endpointKey ?end } } ;
# A principal that also calls otherwise is no automation, but its calls through automation's clients still are:
# a person who runs Terraform with the key an intruder took, a red-team tool's own set-up and tear-down, a
# pipeline's key also used by hand. Such a signal links on nothing (loupe:automationClient; the linker does not
# count it either): the pipeline's tear-down of a trail is still a signal, and no step of the hand's story. A
# caller can claim any user agent; this takes the call at its word, as the rule for automated principals does.
# Only tools that run on the caller's side: what CloudFormation or another AWS service does with a caller's
# credentials (its host as user agent) follows from what the caller asked of it, an intruder's stack included.
INSERT { GRAPH ?inferred { ?s loupe:automationClient true } }
WHERE {
  {
    SELECT DISTINCT ?s
    WHERE {
      GRAPH ?inferred {
        ?s loupe:actor ?a ; prov:wasDerivedFrom ?e0 .
        MINUS { ?s loupe:rule rule:finding-signal }
        MINUS { ?a a loupe:AutomatedPrincipal }
      }
    }
  }
  # every call behind it claims such a tool (a burst by hand and by pipeline is the hand's; a flow claims none).
  # (OPTIONAL looks each call up; a plain join read every call's user agent first: 12 s at 1M events)
  FILTER NOT EXISTS {
    GRAPH ?inferred { ?s prov:wasDerivedFrom ?e }
    OPTIONAL { GRAPH ?g { ?e loupe:userAgent ?ua . ?ua loupe:userAgentString ?text } }
    FILTER (!BOUND(?text) || !REGEX(?text, "terraform|pulumi|aws-cdk|cdk/|ansible|crossplane|github-actions|gitlab|jenkins|circleci|buildkite|atlantis|spacelift|^argocd-|^(kustomize|helm|source)-controller/|^flux/", "i"))
  }
} ;
DELETE { GRAPH ?inferred { ?s ?key ?k } }
WHERE {
  GRAPH ?inferred {
    ?s loupe:automationClient true ; ?key ?k .
    VALUES ?key { loupe:identityKey loupe:resourceKey loupe:targetKey loupe:grantKey loupe:grantedAccountKey loupe:accountAtWorkKey loupe:endpointKey loupe:habitualEndpointKey loupe:victimKey }
  }
} ;
# An endpoint no signal is keyed by any more (first sign-ins', automation's) is not described either.
DELETE { GRAPH ?inferred { ?end ?p ?o } }
WHERE { GRAPH ?inferred { ?end a loupe:Endpoint ; ?p ?o FILTER NOT EXISTS { ?x loupe:endpointKey|loupe:habitualEndpointKey ?end } } } ;
# automation's signals keep only their identity (not what a service did for the person who deployed it: a
# stack's CloudFormation session making a key for a user, loupe:deployedBy)
DELETE { GRAPH ?inferred { ?s ?key ?r } }
WHERE {
  GRAPH ?inferred {
    ?s ?key ?r . VALUES ?key { loupe:resourceKey loupe:targetKey loupe:grantKey loupe:grantedAccountKey loupe:accountAtWorkKey }
    { ?s loupe:actor ?a . ?a a loupe:AutomatedPrincipal FILTER NOT EXISTS { ?s loupe:deployedBy ?c } }
    UNION { ?s loupe:resolvedActor ?w . ?w a loupe:AutomatedPrincipal }
  }
}
;
# AWS services (calls of type AWSService, such as cloudformation.amazonaws.com) act for AWS in every account
# that uses them: a service is not one actor, and no intruder's foothold. Its signals link on nothing: keyed by
# the service, they joined the unrelated activity of every account into one sequence. They are still signals.
DELETE { GRAPH ?inferred { ?s ?key ?k } }
WHERE {
  ?w a loupe:ServicePrincipal .
  OPTIONAL {
    GRAPH ?inferred { ?s loupe:resolvedActor ?w ; ?key ?k . VALUES ?key { loupe:identityKey loupe:resourceKey loupe:targetKey loupe:grantKey loupe:grantedAccountKey loupe:accountAtWorkKey } }
  }
  FILTER (BOUND(?s))
}
