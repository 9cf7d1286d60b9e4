# SPARQL Update, run after the linker: each attack sequence gets a type named like GuardDuty Extended Threat
# Detection's. Data taken out (exfiltration through the APIs, or a bucket acted on) first, then a Kubernetes
# cluster, then ECS tasks (a task role's calls, findings about a task), then instances (instance credentials, findings about instances, or an instance's network traffic,
# exfiltration included), else compromised credentials. Only sequences marked <urn:loupe:tmp:due> true are
# typed: a full run marks all of them, an update those that are new or changed (the others keep their type).
PREFIX loupe: <https://w3id.org/loupe/ontology#>
PREFIX prov:  <http://www.w3.org/ns/prov#>

INSERT { GRAPH ?inferred { ?seq loupe:sequenceType ?type } }
WHERE {
  # a sequence an update kept keeps its type (its context may still be due)
  GRAPH ?inferred { ?seq a loupe:AttackSequence ; <urn:loupe:tmp:due> true FILTER NOT EXISTS { ?seq loupe:sequenceType ?typed } }
  BIND (IF(EXISTS { GRAPH ?inferred { ?seq loupe:member ?x . ?x loupe:tactic <https://attack.mitre.org/TA0010>
                                       FILTER NOT EXISTS { ?x loupe:rule <https://w3id.org/loupe/rule/flow-detector> } } }
             || EXISTS { GRAPH ?inferred { ?seq loupe:member/prov:wasDerivedFrom ?e } ?e loupe:target/a loupe:S3Bucket }
             || EXISTS { GRAPH ?inferred { ?seq loupe:member/prov:wasDerivedFrom ?f } ?f a loupe:Finding ; loupe:concerns/a loupe:S3Bucket },
           "AttackSequence:S3/CompromisedData",
        IF(EXISTS { GRAPH ?inferred { ?seq loupe:member/prov:wasDerivedFrom ?k } ?k a loupe:KubernetesAuditEvent }
             || EXISTS { GRAPH ?inferred { ?seq loupe:member/prov:wasDerivedFrom ?f } ?f a loupe:Finding ; loupe:findingType ?kt FILTER (CONTAINS(?kt, ":Kubernetes/") || CONTAINS(?kt, ":EKS")) },
           "AttackSequence:EKS/CompromisedCluster",
        IF(EXISTS { GRAPH ?inferred { ?seq loupe:member/loupe:actor ?ta } ?ta loupe:ofTask ?task }
             || EXISTS { GRAPH ?inferred { ?seq loupe:member/prov:wasDerivedFrom ?f } ?f a loupe:Finding ; loupe:concerns/a loupe:EcsTask },
           "AttackSequence:ECS/CompromisedCluster",
        IF(EXISTS { GRAPH ?inferred { ?seq loupe:member/prov:wasDerivedFrom ?i } ?i loupe:qualifier "session:instance" }
             || EXISTS { GRAPH ?inferred { ?seq loupe:member/prov:wasDerivedFrom ?f } ?f a loupe:Finding ; loupe:concerns/a loupe:Ec2Instance }
             || EXISTS { GRAPH ?inferred { ?seq loupe:member/loupe:rule <https://w3id.org/loupe/rule/flow-detector> } },
           "AttackSequence:EC2/CompromisedInstanceGroup",
           "AttackSequence:IAM/CompromisedCredentials")))) AS ?type)
}
