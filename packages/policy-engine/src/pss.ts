/**
 * The `validate.podSecurity` subrule: the Pod Security Standards checks
 * (Kubernetes docs, "Pod Security Standards": Baseline and Restricted
 * controls, with the version each control changed in), evaluated as Kyverno
 * evaluates them through the pod-security-admission library, and Kyverno's
 * `exclude` entries (controlName, images, restrictedField, values).
 */
import { wildcardMatch } from './wildcard';

/** The newest policy version the checks know (`latest`). @public */
export const PSS_LATEST_VERSION = '1.36';

/** One forbidden field, as pod-security-admission reports it. */
export interface PssFieldError {
  /** `spec.containers[0].securityContext.privileged`, `metadata.annotations[...]`. */
  field: string;
  badValues: string[];
  /** Set for container-level fields. */
  container?: { type: string; index: number; name: string; image: string };
}

/** A failed check. @public */
export interface PssCheckResult {
  id: string;
  controlName: string;
  reason: string;
  errors: PssFieldError[];
}

/** @public */
export interface PodSecurityExclude {
  controlName?: string;
  images?: string[];
  restrictedField?: string;
  values?: string[];
}

type Level = 'baseline' | 'restricted';
type Version = [number, number];
type Obj = Record<string, any>;
interface Pod {
  metadata: Obj;
  spec: Obj;
}

interface CheckVersion {
  min: Version;
  check: (pod: Pod) => PssFieldError[];
}
interface Check {
  id: string;
  level: Level;
  controlName: string;
  reason: string;
  versions: CheckVersion[];
}

const CONTAINER_TYPES = ['containers', 'initContainers', 'ephemeralContainers'];

interface ContainerRef {
  type: string;
  index: number;
  c: Obj;
  path: string;
}

function containers(pod: Pod): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const type of CONTAINER_TYPES) {
    const list = pod.spec?.[type];
    if (!Array.isArray(list)) continue;
    list.forEach((c: Obj, index: number) =>
      out.push({ type, index, c: c ?? {}, path: `spec.${type}[${index}]` }),
    );
  }
  return out;
}

function containerError(
  ref: ContainerRef,
  field: string,
  badValues: unknown[],
): PssFieldError {
  return {
    field: `${ref.path}.${field}`,
    badValues: badValues.map(v => String(v)),
    container: {
      type: ref.type,
      index: ref.index,
      name: String(ref.c.name ?? ''),
      image: String(ref.c.image ?? ''),
    },
  };
}

const podError = (field: string, badValues: unknown[] = []): PssFieldError => ({
  field,
  badValues: badValues.map(v => String(v)),
});

const sc = (pod: Pod): Obj => pod.spec?.securityContext ?? {};
const isWindows = (pod: Pod) => pod.spec?.os?.name === 'windows';

// ---- baseline ---------------------------------------------------------------

function hostNamespaces(pod: Pod): PssFieldError[] {
  return ['hostNetwork', 'hostPID', 'hostIPC']
    .filter(f => pod.spec?.[f] === true)
    .map(f => podError(`spec.${f}`, [true]));
}

function privileged(pod: Pod): PssFieldError[] {
  return containers(pod)
    .filter(r => r.c.securityContext?.privileged === true)
    .map(r => containerError(r, 'securityContext.privileged', [true]));
}

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

function capabilitiesBaseline(pod: Pod): PssFieldError[] {
  const out: PssFieldError[] = [];
  for (const r of containers(pod)) {
    const add = r.c.securityContext?.capabilities?.add;
    if (!Array.isArray(add)) continue;
    const bad = add.filter(
      (c: unknown) => !BASELINE_CAPABILITIES.has(String(c)),
    );
    if (bad.length)
      out.push(containerError(r, 'securityContext.capabilities.add', bad));
  }
  return out;
}

function hostPathVolumes(pod: Pod): PssFieldError[] {
  const volumes = Array.isArray(pod.spec?.volumes) ? pod.spec.volumes : [];
  return volumes.flatMap((v: Obj, i: number) =>
    v?.hostPath ? [podError(`spec.volumes[${i}].hostPath`, [])] : [],
  );
}

function hostPorts(pod: Pod): PssFieldError[] {
  const out: PssFieldError[] = [];
  for (const r of containers(pod)) {
    (Array.isArray(r.c.ports) ? r.c.ports : []).forEach((p: Obj, j: number) => {
      if (p?.hostPort && p.hostPort !== 0) {
        out.push(containerError(r, `ports[${j}].hostPort`, [p.hostPort]));
      }
    });
  }
  return out;
}

const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function appArmorAnnotations(pod: Pod): PssFieldError[] {
  const annotations: Obj = pod.metadata?.annotations ?? {};
  return Object.keys(annotations)
    .filter(k => k.startsWith(APPARMOR_PREFIX))
    .sort()
    .filter(k => {
      const v = String(annotations[k] ?? '');
      return !(
        v === '' ||
        v === 'runtime/default' ||
        v.startsWith('localhost/')
      );
    })
    .map(k => podError(`metadata.annotations[${k}]`, [annotations[k]]));
}

function appArmorFields(pod: Pod): PssFieldError[] {
  const out = appArmorAnnotations(pod);
  const bad = (p: Obj | undefined) =>
    p?.type !== undefined &&
    p.type !== 'RuntimeDefault' &&
    p.type !== 'Localhost';
  if (bad(sc(pod).appArmorProfile)) {
    out.push(
      podError('spec.securityContext.appArmorProfile.type', [
        sc(pod).appArmorProfile.type,
      ]),
    );
  }
  for (const r of containers(pod)) {
    const p = r.c.securityContext?.appArmorProfile;
    if (bad(p))
      out.push(
        containerError(r, 'securityContext.appArmorProfile.type', [p.type]),
      );
  }
  return out;
}

function seLinux(types: string[]) {
  const allowed = new Set(['', ...types]);
  return (pod: Pod): PssFieldError[] => {
    const out: PssFieldError[] = [];
    const check = (
      opts: Obj | undefined,
      report: (f: string, v: unknown) => void,
    ) => {
      if (!opts) return;
      if (opts.type !== undefined && !allowed.has(String(opts.type)))
        report('type', opts.type);
      if (opts.user) report('user', opts.user);
      if (opts.role) report('role', opts.role);
    };
    check(sc(pod).seLinuxOptions, (f, v) =>
      out.push(podError(`spec.securityContext.seLinuxOptions.${f}`, [v])),
    );
    for (const r of containers(pod)) {
      check(r.c.securityContext?.seLinuxOptions, (f, v) =>
        out.push(containerError(r, `securityContext.seLinuxOptions.${f}`, [v])),
      );
    }
    return out;
  };
}

function procMount(pod: Pod): PssFieldError[] {
  return containers(pod)
    .filter(r => {
      const m = r.c.securityContext?.procMount;
      return m !== undefined && m !== null && m !== 'Default';
    })
    .map(r =>
      containerError(r, 'securityContext.procMount', [
        r.c.securityContext.procMount,
      ]),
    );
}

function seccompBaselineAnnotations(pod: Pod): PssFieldError[] {
  const annotations: Obj = pod.metadata?.annotations ?? {};
  return Object.keys(annotations)
    .filter(
      k =>
        (k === 'seccomp.security.alpha.kubernetes.io/pod' ||
          k.startsWith('container.seccomp.security.alpha.kubernetes.io/')) &&
        annotations[k] === 'unconfined',
    )
    .sort()
    .map(k => podError(`metadata.annotations[${k}]`, ['unconfined']));
}

function seccompBaselineFields(pod: Pod): PssFieldError[] {
  const out: PssFieldError[] = [];
  if (sc(pod).seccompProfile?.type === 'Unconfined') {
    out.push(
      podError('spec.securityContext.seccompProfile.type', ['Unconfined']),
    );
  }
  for (const r of containers(pod)) {
    if (r.c.securityContext?.seccompProfile?.type === 'Unconfined') {
      out.push(
        containerError(r, 'securityContext.seccompProfile.type', [
          'Unconfined',
        ]),
      );
    }
  }
  return out;
}

const SAFE_SYSCTLS_1_0 = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
];
const SAFE_SYSCTLS_1_27 = [
  ...SAFE_SYSCTLS_1_0,
  'net.ipv4.ip_local_reserved_ports',
];
const SAFE_SYSCTLS_1_29 = [
  ...SAFE_SYSCTLS_1_27,
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const SAFE_SYSCTLS_1_32 = [
  ...SAFE_SYSCTLS_1_29,
  'net.ipv4.tcp_rmem',
  'net.ipv4.tcp_wmem',
];

function sysctls(safe: string[]) {
  const allowed = new Set(safe);
  return (pod: Pod): PssFieldError[] => {
    const list = Array.isArray(sc(pod).sysctls) ? sc(pod).sysctls : [];
    return list.flatMap((s: Obj, i: number) =>
      allowed.has(String(s?.name))
        ? []
        : [podError(`spec.securityContext.sysctls[${i}].name`, [s?.name])],
    );
  };
}

function windowsHostProcess(pod: Pod): PssFieldError[] {
  const out: PssFieldError[] = [];
  if (sc(pod).windowsOptions?.hostProcess === true) {
    out.push(
      podError('spec.securityContext.windowsOptions.hostProcess', [true]),
    );
  }
  for (const r of containers(pod)) {
    if (r.c.securityContext?.windowsOptions?.hostProcess === true) {
      out.push(
        containerError(r, 'securityContext.windowsOptions.hostProcess', [true]),
      );
    }
  }
  return out;
}

function hostProbesAndLifecycle(pod: Pod): PssFieldError[] {
  const out: PssFieldError[] = [];
  for (const r of containers(pod)) {
    const handlers: Array<[string, Obj | undefined]> = [
      ['livenessProbe', r.c.livenessProbe],
      ['readinessProbe', r.c.readinessProbe],
      ['startupProbe', r.c.startupProbe],
      ['lifecycle.postStart', r.c.lifecycle?.postStart],
      ['lifecycle.preStop', r.c.lifecycle?.preStop],
    ];
    for (const [name, h] of handlers) {
      for (const kind of ['httpGet', 'tcpSocket']) {
        const host = h?.[kind]?.host;
        if (host) out.push(containerError(r, `${name}.${kind}.host`, [host]));
      }
    }
  }
  return out;
}

// ---- restricted ---------------------------------------------------------------

const ALLOWED_VOLUME_TYPES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

function restrictedVolumes(pod: Pod): PssFieldError[] {
  const volumes = Array.isArray(pod.spec?.volumes) ? pod.spec.volumes : [];
  const out: PssFieldError[] = [];
  volumes.forEach((v: Obj, i: number) => {
    for (const [type, value] of Object.entries(v ?? {})) {
      if (type === 'name' || value === null || value === undefined) continue;
      if (!ALLOWED_VOLUME_TYPES.has(type)) {
        // Kyverno's restrictedField for this control is `spec.volumes[*]`, the bad value the type
        out.push(podError(`spec.volumes[${i}]`, [type]));
      }
    }
  });
  return out;
}

function allowPrivilegeEscalation(skipWindows: boolean) {
  return (pod: Pod): PssFieldError[] => {
    if (skipWindows && isWindows(pod)) return [];
    return containers(pod)
      .filter(r => r.c.securityContext?.allowPrivilegeEscalation !== false)
      .map(r =>
        containerError(r, 'securityContext.allowPrivilegeEscalation', [
          r.c.securityContext?.allowPrivilegeEscalation ?? 'nil',
        ]),
      );
  };
}

function runAsNonRoot(pod: Pod): PssFieldError[] {
  const out: PssFieldError[] = [];
  const podValue = sc(pod).runAsNonRoot;
  if (podValue === false)
    out.push(podError('spec.securityContext.runAsNonRoot', [false]));
  for (const r of containers(pod)) {
    const v = r.c.securityContext?.runAsNonRoot;
    if (v === false)
      out.push(containerError(r, 'securityContext.runAsNonRoot', [false]));
    else if (v === undefined && podValue !== true) {
      out.push(containerError(r, 'securityContext.runAsNonRoot', []));
    }
  }
  return out;
}

function runAsUser(pod: Pod): PssFieldError[] {
  const out: PssFieldError[] = [];
  if (sc(pod).runAsUser === 0)
    out.push(podError('spec.securityContext.runAsUser', [0]));
  for (const r of containers(pod)) {
    if (r.c.securityContext?.runAsUser === 0) {
      out.push(containerError(r, 'securityContext.runAsUser', [0]));
    }
  }
  return out;
}

function seccompRestricted(skipWindows: boolean) {
  const ok = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
  return (pod: Pod): PssFieldError[] => {
    if (skipWindows && isWindows(pod)) return [];
    const out: PssFieldError[] = [];
    const podType = sc(pod).seccompProfile?.type;
    if (podType !== undefined && !ok(podType)) {
      out.push(podError('spec.securityContext.seccompProfile.type', [podType]));
    }
    for (const r of containers(pod)) {
      const t = r.c.securityContext?.seccompProfile?.type;
      if (t !== undefined && !ok(t)) {
        out.push(containerError(r, 'securityContext.seccompProfile.type', [t]));
      } else if (t === undefined && !ok(podType)) {
        out.push(containerError(r, 'securityContext.seccompProfile.type', []));
      }
    }
    return out;
  };
}

function capabilitiesRestricted(skipWindows: boolean) {
  return (pod: Pod): PssFieldError[] => {
    if (skipWindows && isWindows(pod)) return [];
    const out: PssFieldError[] = [];
    for (const r of containers(pod)) {
      const caps = r.c.securityContext?.capabilities ?? {};
      const drop: unknown[] = Array.isArray(caps.drop) ? caps.drop : [];
      if (!drop.includes('ALL')) {
        out.push(containerError(r, 'securityContext.capabilities.drop', drop));
      }
      const add: unknown[] = Array.isArray(caps.add) ? caps.add : [];
      const bad = add.filter(c => c !== 'NET_BIND_SERVICE');
      if (bad.length)
        out.push(containerError(r, 'securityContext.capabilities.add', bad));
    }
    return out;
  };
}

const v = (minor: number): Version => [1, minor];

/** The checks, each with the versions its rule changed in (pod-security-admission's table). */
const CHECKS: Check[] = [
  {
    id: 'hostNamespaces',
    level: 'baseline',
    controlName: 'Host Namespaces',
    reason: 'host namespaces',
    versions: [{ min: v(0), check: hostNamespaces }],
  },
  {
    id: 'privileged',
    level: 'baseline',
    controlName: 'Privileged Containers',
    reason: 'privileged',
    versions: [{ min: v(0), check: privileged }],
  },
  {
    id: 'capabilities_baseline',
    level: 'baseline',
    controlName: 'Capabilities',
    reason: 'non-default capabilities',
    versions: [{ min: v(0), check: capabilitiesBaseline }],
  },
  {
    id: 'hostPathVolumes',
    level: 'baseline',
    controlName: 'HostPath Volumes',
    reason: 'hostPath volumes',
    versions: [{ min: v(0), check: hostPathVolumes }],
  },
  {
    id: 'hostPorts',
    level: 'baseline',
    controlName: 'Host Ports',
    reason: 'hostPort',
    versions: [{ min: v(0), check: hostPorts }],
  },
  {
    id: 'appArmorProfile',
    level: 'baseline',
    controlName: 'AppArmor',
    reason: 'forbidden AppArmor profile',
    versions: [
      { min: v(0), check: appArmorAnnotations },
      { min: v(30), check: appArmorFields },
    ],
  },
  {
    id: 'seLinuxOptions',
    level: 'baseline',
    controlName: 'SELinux',
    reason: 'seLinuxOptions',
    versions: [
      {
        min: v(0),
        check: seLinux(['container_t', 'container_init_t', 'container_kvm_t']),
      },
      {
        min: v(31),
        check: seLinux([
          'container_t',
          'container_init_t',
          'container_kvm_t',
          'container_engine_t',
        ]),
      },
    ],
  },
  {
    id: 'procMount',
    level: 'baseline',
    controlName: '/proc Mount Type',
    reason: 'procMount',
    versions: [{ min: v(0), check: procMount }],
  },
  {
    id: 'seccompProfile_baseline',
    level: 'baseline',
    controlName: 'Seccomp',
    reason: 'seccompProfile',
    versions: [
      { min: v(0), check: seccompBaselineAnnotations },
      { min: v(19), check: seccompBaselineFields },
    ],
  },
  {
    id: 'sysctls',
    level: 'baseline',
    controlName: 'Sysctls',
    reason: 'forbidden sysctls',
    versions: [
      { min: v(0), check: sysctls(SAFE_SYSCTLS_1_0) },
      { min: v(27), check: sysctls(SAFE_SYSCTLS_1_27) },
      { min: v(29), check: sysctls(SAFE_SYSCTLS_1_29) },
      { min: v(32), check: sysctls(SAFE_SYSCTLS_1_32) },
    ],
  },
  {
    id: 'windowsHostProcess',
    level: 'baseline',
    controlName: 'HostProcess',
    reason: 'hostProcess',
    versions: [{ min: v(0), check: windowsHostProcess }],
  },
  {
    id: 'hostProbesAndHostLifecycle',
    level: 'baseline',
    controlName: 'Host Probes / Lifecycle Hooks',
    reason: 'probe or lifecycle host',
    versions: [{ min: v(34), check: hostProbesAndLifecycle }],
  },
  {
    id: 'restrictedVolumes',
    level: 'restricted',
    controlName: 'Volume Types',
    reason: 'restricted volume types',
    versions: [{ min: v(0), check: restrictedVolumes }],
  },
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    controlName: 'Privilege Escalation',
    reason: 'allowPrivilegeEscalation != false',
    versions: [
      { min: v(8), check: allowPrivilegeEscalation(false) },
      { min: v(25), check: allowPrivilegeEscalation(true) },
    ],
  },
  {
    id: 'runAsNonRoot',
    level: 'restricted',
    controlName: 'Running as Non-root',
    reason: 'runAsNonRoot != true',
    versions: [{ min: v(0), check: runAsNonRoot }],
  },
  {
    id: 'runAsUser',
    level: 'restricted',
    controlName: 'Running as Non-root user',
    reason: 'runAsUser=0',
    versions: [{ min: v(23), check: runAsUser }],
  },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    controlName: 'Seccomp',
    reason: 'seccompProfile',
    versions: [
      { min: v(19), check: seccompRestricted(false) },
      { min: v(25), check: seccompRestricted(true) },
    ],
  },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    controlName: 'Capabilities',
    reason: 'unrestricted capabilities',
    versions: [
      { min: v(22), check: capabilitiesRestricted(false) },
      { min: v(25), check: capabilitiesRestricted(true) },
    ],
  },
];

/** Control names Kyverno accepts in `exclude.controlName`. @public */
export const PSS_CONTROL_NAMES: readonly string[] = [
  ...new Set(CHECKS.map(c => c.controlName)),
];

/** Thrown for an unknown level or an unparseable version. */
export class PodSecurityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PodSecurityError';
  }
}

function parseVersion(version: string | undefined): Version {
  const text = !version || version === 'latest' ? PSS_LATEST_VERSION : version;
  const m = /^v?(\d+)\.(\d+)$/.exec(text);
  if (!m)
    throw new PodSecurityError(`invalid podSecurity version "${version}"`);
  return [Number(m[1]), Number(m[2])];
}

const older = (a: Version, b: Version) =>
  a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/** The Pod (metadata and spec) a Pod or Pod controller runs; undefined for other kinds. */
export function podOf(resource: Obj): Pod | undefined {
  switch (resource?.kind) {
    case 'Pod':
      return { metadata: resource.metadata ?? {}, spec: resource.spec ?? {} };
    case 'CronJob': {
      const t = resource.spec?.jobTemplate?.spec?.template;
      return t ? { metadata: t.metadata ?? {}, spec: t.spec ?? {} } : undefined;
    }
    case 'Deployment':
    case 'DaemonSet':
    case 'StatefulSet':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'Job': {
      const t = resource.spec?.template;
      return t ? { metadata: t.metadata ?? {}, spec: t.spec ?? {} } : undefined;
    }
    default:
      return undefined;
  }
}

function runChecks(level: Level, version: Version, pod: Pod): PssCheckResult[] {
  const results: PssCheckResult[] = [];
  for (const check of CHECKS) {
    if (level === 'baseline' && check.level !== 'baseline') continue;
    // As Kyverno selects: the first version always applies, later ones once the policy version reaches them.
    let selected = check.versions[0];
    for (const candidate of check.versions.slice(1)) {
      if (!older(version, candidate.min) && older(selected.min, candidate.min))
        selected = candidate;
    }
    const errors = selected.check(pod);
    if (errors.length) {
      results.push({
        id: check.id,
        controlName: check.controlName,
        reason: check.reason,
        errors,
      });
    }
  }
  return results;
}

function excluded(error: PssFieldError, ex: PodSecurityExclude): boolean {
  if (ex.images?.length) {
    if (!error.container) return false;
    if (!ex.images.some(p => wildcardMatch(p, error.container!.image)))
      return false;
  } else if (error.container) {
    return false;
  }
  if (
    ex.restrictedField &&
    error.field.replace(/\d+/g, '*') !== ex.restrictedField
  )
    return false;
  if (ex.values?.length) {
    return error.badValues.every(bad =>
      ex.values!.some(p => wildcardMatch(p, bad)),
    );
  }
  return true;
}

/**
 * Evaluates a Pod (or a Pod controller's template) against a Pod Security
 * Standards level and version, after Kyverno's exclusions. Empty means
 * allowed. `privileged` allows everything.
 *
 * @throws PodSecurityError for an unknown level or version
 * @public
 */
export function evaluatePodSecurity(
  pod: Pod,
  level: string,
  version: string | undefined,
  excludes: PodSecurityExclude[] = [],
): PssCheckResult[] {
  const parsedVersion = parseVersion(version);
  if (level === 'privileged') return [];
  if (level !== 'baseline' && level !== 'restricted') {
    throw new PodSecurityError(`invalid podSecurity level "${level}"`);
  }
  const results = runChecks(level, parsedVersion, pod);
  return results
    .map(r => ({
      ...r,
      errors: r.errors.filter(
        e =>
          !excludes.some(
            ex => ex.controlName === r.controlName && excluded(e, ex),
          ),
      ),
    }))
    .filter(r => r.errors.length > 0);
}

/** Kyverno's `FormatChecksPrint`: `(Forbidden reason: ..., field error list: [...])` per check. */
export function formatPodSecurityChecks(results: PssCheckResult[]): string {
  return results
    .map(r => {
      const errors = r.errors.map(e =>
        e.badValues.length
          ? `${e.field} is forbidden, forbidden values found: ${
              e.badValues.length === 1 &&
              !e.field.endsWith('.add') &&
              !e.field.endsWith('.drop')
                ? e.badValues[0]
                : `[${e.badValues.join(' ')}]`
            }`
          : `${e.field}: Forbidden`,
      );
      return `(Forbidden reason: ${r.reason}, field error list: [${errors.join(
        ', ',
      )}])`;
    })
    .join('');
}
