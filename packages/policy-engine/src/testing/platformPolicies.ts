/**
 * Twenty ClusterPolicies in the shape of common platform policies (allowed
 * registries, capabilities, requests/limits, volume types, host ports, Pod
 * Security Standards, PDB sanity, ingress hosts, ...), written for this
 * repository's tests and benchmark. They use every construct the engine
 * implements: patterns with anchors and wildcard keys, deny, foreach,
 * JMESPath functions, images, podSecurity.
 */
import { parseAllDocuments } from 'yaml';
import type { KubeResource } from '../types';

const POLICIES_YAML = `
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: allowed-registries
  annotations:
    policies.kyverno.io/category: Supply Chain
    policies.kyverno.io/severity: high
spec:
  validationFailureAction: Enforce
  background: true
  rules:
    - name: registries
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: "image {{ element.image }} is not from an allowed registry (ghcr.io/acme, registry.acme.io)"
        foreach:
          - list: "request.object.spec.[initContainers, ephemeralContainers, containers][]"
            deny:
              conditions:
                all:
                  - key: "{{ element.image }}"
                    operator: AnyNotIn
                    value: ["ghcr.io/acme/*", "registry.acme.io/*"]
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-capabilities
spec:
  validationFailureAction: Enforce
  rules:
    - name: adding-capabilities
      match:
        any:
          - resources:
              kinds: [Pod]
      preconditions:
        all:
          - key: "{{ request.operation || 'BACKGROUND' }}"
            operator: NotEquals
            value: DELETE
      validate:
        message: "Containers may only add the baseline capabilities (CHOWN, KILL, NET_BIND_SERVICE, SETUID, ... as in Pod Security baseline)."
        deny:
          conditions:
            all:
              - key: "{{ request.object.spec.[ephemeralContainers, initContainers, containers][].securityContext.capabilities.add[] }}"
                operator: AnyNotIn
                value: [AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT]
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-drop-all
spec:
  validationFailureAction: Audit
  rules:
    - name: drop-all
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: "Containers must drop ALL capabilities."
        foreach:
          - list: request.object.spec.containers[]
            deny:
              conditions:
                all:
                  - key: ALL
                    operator: AnyNotIn
                    value: "{{ element.securityContext.capabilities.drop[] || \`[]\` }}"
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-requests-limits
spec:
  validationFailureAction: Enforce
  rules:
    - name: validate-resources
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: "CPU and memory resource requests and memory limits are required."
        pattern:
          spec:
            containers:
              - resources:
                  requests:
                    memory: "?*"
                    cpu: "?*"
                  limits:
                    memory: "?*"
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: memory-limit-ceiling
spec:
  validationFailureAction: Enforce
  rules:
    - name: memory-at-most-4gi
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: "container {{ element.name }} asks for {{ element.resources.limits.memory }}, more than 4Gi"
        foreach:
          - list: request.object.spec.containers
            preconditions:
              all:
                - key: "{{ element.resources.limits.memory || '' }}"
                  operator: NotEquals
                  value: ""
            deny:
              conditions:
                any:
                  - key: "{{ element.resources.limits.memory }}"
                    operator: GreaterThan
                    value: 4Gi
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: restrict-volume-types
spec:
  validationFailureAction: Enforce
  rules:
    - name: restricted-volumes
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: "Only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes are allowed."
        deny:
          conditions:
            all:
              - key: "{{ request.object.spec.volumes[].keys(@)[] || '' }}"
                operator: AnyNotIn
                value: [name, configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret, '']
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: restrict-host-ports
spec:
  validationFailureAction: Enforce
  rules:
    - name: host-port-range
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: "hostPort {{ element.hostPort }} is outside 5000-6000."
        foreach:
          - list: "request.object.spec.containers[].ports[]"
            preconditions:
              all:
                - key: "{{ element.hostPort || \`0\` }}"
                  operator: NotEquals
                  value: 0
            deny:
              conditions:
                any:
                  - key: "{{ element.hostPort }}"
                    operator: AnyNotIn
                    value: 5000-6000
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: pss-baseline
spec:
  validationFailureAction: Enforce
  rules:
    - name: baseline
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        podSecurity:
          level: baseline
          version: latest
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: pss-restricted
spec:
  validationFailureAction: Audit
  rules:
    - name: restricted
      match:
        any:
          - resources:
              kinds: [Pod]
      exclude:
        any:
          - resources:
              namespaces: [kube-system]
      validate:
        podSecurity:
          level: restricted
          version: v1.29
          exclude:
            - controlName: Capabilities
              images: ["ghcr.io/acme/netdebug*"]
              restrictedField: spec.containers[*].securityContext.capabilities.add
              values: [NET_ADMIN, NET_RAW]
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: pdb-sanity
spec:
  validationFailureAction: Enforce
  rules:
    - name: min-available-not-100
      match:
        any:
          - resources:
              kinds: [PodDisruptionBudget]
      validate:
        message: "PodDisruptionBudget {{ request.object.metadata.name }} blocks every eviction (minAvailable {{ request.object.spec.minAvailable }})."
        deny:
          conditions:
            any:
              - key: "{{ regex_match('^100%$', to_string(request.object.spec.minAvailable || '')) }}"
                operator: Equals
                value: true
    - name: max-unavailable-not-zero
      match:
        any:
          - resources:
              kinds: [PodDisruptionBudget]
      validate:
        message: "maxUnavailable must not be 0 or 0%."
        deny:
          conditions:
            any:
              - key: "{{ regex_match('^0%?$', to_string(request.object.spec.maxUnavailable || 'unset')) }}"
                operator: Equals
                value: true
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: ingress-host-rules
spec:
  validationFailureAction: Enforce
  rules:
    - name: no-wildcard-hosts
      match:
        any:
          - resources:
              kinds: [Ingress]
      validate:
        message: "Ingress host {{ element.host }} is a wildcard."
        foreach:
          - list: request.object.spec.rules
            deny:
              conditions:
                any:
                  - key: "{{ starts_with(element.host || '', '*') }}"
                    operator: Equals
                    value: true
    - name: team-domain
      match:
        any:
          - resources:
              kinds: [Ingress]
      validate:
        message: "host {{ element.host }} must end in .{{ request.namespace }}.apps.acme.io"
        foreach:
          - list: request.object.spec.rules
            deny:
              conditions:
                all:
                  - key: "{{ ends_with(element.host, join('', ['.', request.namespace, '.apps.acme.io'])) }}"
                    operator: Equals
                    value: false
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-latest-tag
spec:
  validationFailureAction: Audit
  rules:
    - name: require-tag-not-latest
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: "An image tag other than latest is required."
        foreach:
          - list: "request.object.spec.containers"
            deny:
              conditions:
                any:
                  - key: "{{ images.containers.\\"{{element.name}}\\".tag }}"
                    operator: Equals
                    value: latest
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-app-labels
spec:
  validationFailureAction: Audit
  rules:
    - name: app-labels
      match:
        any:
          - resources:
              kinds: [Deployment, StatefulSet]
      validate:
        message: "{{ request.object.kind }} {{ request.object.metadata.name }} needs an app.kubernetes.io/* label and an owner."
        pattern:
          metadata:
            labels:
              "app.kubernetes.io/*": "?*"
              owner: "?*"
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-ingress-snippets
spec:
  validationFailureAction: Enforce
  rules:
    - name: no-snippets
      match:
        any:
          - resources:
              kinds: [Ingress]
      validate:
        message: "ingress-nginx snippet annotations are not allowed."
        pattern:
          metadata:
            =(annotations):
              X(*-snippet): "null"
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: restrict-service-types
spec:
  validationFailureAction: Enforce
  rules:
    - name: no-nodeport-loadbalancer
      match:
        any:
          - resources:
              kinds: [Service]
      exclude:
        any:
          - resources:
              namespaces: [ingress-*]
      validate:
        message: "Service type {{ request.object.spec.type }} is reserved for the platform."
        deny:
          conditions:
            any:
              - key: "{{ request.object.spec.type || 'ClusterIP' }}"
                operator: AnyIn
                value: [NodePort, LoadBalancer]
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: replica-limits
spec:
  validationFailureAction: Enforce
  rules:
    - name: at-most-10-replicas
      match:
        any:
          - resources:
              kinds: [Deployment]
      preconditions:
        any:
          - key: "{{ request.operation || 'BACKGROUND' }}"
            operator: AnyIn
            value: [CREATE, UPDATE]
      validate:
        message: "{{ request.object.spec.replicas }} replicas is more than 10."
        deny:
          conditions:
            any:
              - key: "{{ request.object.spec.replicas || \`1\` }}"
                operator: GreaterThan
                value: 10
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: restrict-apparmor
spec:
  validationFailureAction: Enforce
  rules:
    - name: apparmor-profiles
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: "AppArmor profiles must be runtime/default or localhost/*."
        pattern:
          =(metadata):
            =(annotations):
              =(container.apparmor.security.beta.kubernetes.io/*): "runtime/default | localhost/*"
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-probes
spec:
  validationFailureAction: Audit
  rules:
    - name: liveness-and-readiness
      match:
        any:
          - resources:
              kinds: [Pod]
      preconditions:
        all:
          - key: "{{ request.object.metadata.labels.\\"app.kubernetes.io/component\\" || '' }}"
            operator: NotEquals
            value: job
      validate:
        message: "Liveness and readiness probes are required."
        pattern:
          spec:
            containers:
              - livenessProbe:
                  periodSeconds: ">0"
                readinessProbe:
                  periodSeconds: ">0"
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: disallow-default-namespace
spec:
  validationFailureAction: Enforce
  rules:
    - name: not-default
      match:
        any:
          - resources:
              kinds: [Pod, Service, ConfigMap, Secret]
      validate:
        message: "Using the default namespace is not allowed."
        pattern:
          metadata:
            namespace: "!default"
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: supplemental-groups
spec:
  validationFailureAction: Enforce
  rules:
    - name: non-root-groups
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        message: "supplementalGroups and fsGroup must be greater than 0."
        pattern:
          spec:
            =(securityContext):
              =(supplementalGroups): ">0"
              =(fsGroup): ">0"
`;

/** The twenty platform policies, parsed. */
export function platformPolicies(): KubeResource[] {
  return parseAllDocuments(POLICIES_YAML).map(d => d.toJSON() as KubeResource);
}
