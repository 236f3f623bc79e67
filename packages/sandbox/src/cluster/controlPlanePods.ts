import type { KubernetesObject } from '@internal/kube-model';

interface StaticComponent {
  component: string;
  image: string;
  cpu: string;
  memory?: string;
}

/** The kubeadm control-plane components that run as static pods (tier 1). */
const CONTROL_PLANE_COMPONENTS: readonly StaticComponent[] = [
  {
    component: 'etcd',
    image: 'registry.k8s.io/etcd:3.5.15-0',
    cpu: '100m',
    memory: '100Mi',
  },
  {
    component: 'kube-apiserver',
    image: 'registry.k8s.io/kube-apiserver:v1.31.0',
    cpu: '250m',
  },
  {
    component: 'kube-controller-manager',
    image: 'registry.k8s.io/kube-controller-manager:v1.31.0',
    cpu: '200m',
  },
  {
    component: 'kube-scheduler',
    image: 'registry.k8s.io/kube-scheduler:v1.31.0',
    cpu: '100m',
  },
];

/**
 * The mirror pods the API server shows for the control plane's static pods: named
 * `<component>-<node>`, owned by the Node, bound to it, system-node-critical.
 *
 * @param node - the control-plane Node as stored (its uid becomes the owner)
 */
export function buildControlPlanePods(
  node: KubernetesObject,
): KubernetesObject[] {
  const nodeName = node.metadata.name;
  return CONTROL_PLANE_COMPONENTS.map(c => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${c.component}-${nodeName}`,
      namespace: 'kube-system',
      labels: { component: c.component, tier: 'control-plane' },
      annotations: {
        'kubernetes.io/config.source': 'file',
        'kubernetes.io/config.mirror': `sandbox-${c.component}`,
      },
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Node',
          name: nodeName,
          uid: node.metadata.uid ?? '',
          controller: true,
        },
      ],
    },
    spec: {
      nodeName,
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      priority: 2000001000,
      restartPolicy: 'Always',
      schedulerName: 'default-scheduler',
      tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
      containers: [
        {
          name: c.component,
          image: c.image,
          command: [c.component],
          resources: {
            requests: { cpu: c.cpu, ...(c.memory ? { memory: c.memory } : {}) },
          },
        },
      ],
    },
  }));
}
