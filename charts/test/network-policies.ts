import type { K8sObject } from './helm';

/**
 * What rendered NetworkPolicies allow, decided as Kubernetes decides
 * (networking.k8s.io/v1): a pod is isolated in a direction once a policy of
 * that type selects it, and then only what some rule of those policies
 * allows gets through. A connection needs both the sender's egress and the
 * receiver's ingress. Enough of the API for this chart's policies, and
 * nothing assumed about them: selectors (labels and expressions), namespace
 * selectors, ipBlocks with exceptions, numbered, named and ranged ports.
 */

export interface Port {
  name?: string;
  containerPort: number;
  protocol?: string;
}

/** One end of a connection: a pod (namespace, labels, ports) or an address outside the cluster. */
export interface Endpoint {
  name: string;
  ip: string;
  pod?: { namespace: string; labels: Record<string, string>; ports: Port[] };
}

export interface Connection {
  port: number;
  protocol?: 'TCP' | 'UDP';
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}

interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface PolicyPort {
  port?: number | string;
  endPort?: number;
  protocol?: string;
}

interface Rule {
  peers: Peer[] | undefined;
  ports: PolicyPort[] | undefined;
}

export function selects(selector: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const byExpression = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    if (operator === 'Exists') return key in labels;
    if (operator === 'DoesNotExist') return !(key in labels);
    const present = key in labels && values.includes(labels[key]!);
    return operator === 'In' ? present : !present;
  });
  return byLabel && byExpression;
}

const ipv4 = (address: string) => address.split('.').reduce((value, part) => value * 256 + Number(part), 0);
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  if (ip.includes(':') || base!.includes(':')) return false; // IPv4 only here
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(ip) / size) === Math.floor(ipv4(base!) / size);
}

const namespaceLabels = (namespace: string) => ({ 'kubernetes.io/metadata.name': namespace });

/** Whether a peer of a policy in `policyNamespace` names this endpoint. */
function peerMatches(peer: Peer, endpoint: Endpoint, policyNamespace: string): boolean {
  if (peer.ipBlock) return inCidr(endpoint.ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((cidr) => inCidr(endpoint.ip, cidr));
  const { pod } = endpoint;
  if (!pod) return false; // pod and namespace selectors name pods only
  const namespaceOk = peer.namespaceSelector
    ? selects(peer.namespaceSelector, namespaceLabels(pod.namespace))
    : pod.namespace === policyNamespace;
  return namespaceOk && (peer.podSelector ? selects(peer.podSelector, pod.labels) : true);
}

/** Whether a rule's ports let this connection to `destination` through (named ports are the destination pod's). */
function portsMatch(ports: PolicyPort[] | undefined, destination: Endpoint, connection: Connection): boolean {
  if (!ports || ports.length === 0) return true;
  const protocol = connection.protocol ?? 'TCP';
  return ports.some((entry) => {
    if ((entry.protocol ?? 'TCP') !== protocol) return false;
    if (entry.port === undefined) return true;
    if (typeof entry.port === 'number')
      return entry.endPort ? connection.port >= entry.port && connection.port <= entry.endPort : connection.port === entry.port;
    return (destination.pod?.ports ?? []).some(
      (port) => port.name === entry.port && port.containerPort === connection.port && (port.protocol ?? 'TCP') === protocol,
    );
  });
}

const policyTypes = (policy: K8sObject): string[] => policy.spec.policyTypes ?? ['Ingress', ...(policy.spec.egress ? ['Egress'] : [])];

function isolating(policies: K8sObject[], pod: Endpoint['pod'], direction: 'Ingress' | 'Egress'): K8sObject[] {
  if (!pod) return [];
  return policies.filter(
    (policy) =>
      policy.metadata.namespace === pod.namespace &&
      selects(policy.spec.podSelector, pod.labels) &&
      policyTypes(policy).includes(direction),
  );
}

function allowedBy(
  policies: K8sObject[],
  rules: (policy: K8sObject) => Rule[],
  other: Endpoint,
  destination: Endpoint,
  connection: Connection,
) {
  return policies.some((policy) =>
    rules(policy).some(
      (rule) =>
        (!rule.peers || rule.peers.length === 0 || rule.peers.some((peer) => peerMatches(peer, other, policy.metadata.namespace!))) &&
        portsMatch(rule.ports, destination, connection),
    ),
  );
}

/** Whether the sender's egress lets the connection out (a pod no egress policy selects sends anywhere). */
export function egressAllows(policies: K8sObject[], from: Endpoint, to: Endpoint, connection: Connection): boolean {
  const selecting = isolating(policies, from.pod, 'Egress');
  if (selecting.length === 0) return true;
  const rules = (policy: K8sObject): Rule[] => (policy.spec.egress ?? []).map((rule: any) => ({ peers: rule.to, ports: rule.ports }));
  return allowedBy(selecting, rules, to, to, connection);
}

/** Whether the receiver's ingress lets the connection in (a pod no ingress policy selects takes anything). */
export function ingressAllows(policies: K8sObject[], from: Endpoint, to: Endpoint, connection: Connection): boolean {
  const selecting = isolating(policies, to.pod, 'Ingress');
  if (selecting.length === 0) return true;
  const rules = (policy: K8sObject): Rule[] => (policy.spec.ingress ?? []).map((rule: any) => ({ peers: rule.from, ports: rule.ports }));
  return allowedBy(selecting, rules, from, to, connection);
}

/** The rendered NetworkPolicies, in the release's namespace (rendered objects name none: they are installed there). */
export function networkPolicies(objects: K8sObject[], namespace: string): K8sObject[] {
  return objects
    .filter((object) => object.kind === 'NetworkPolicy')
    .map((policy) => ({ ...policy, metadata: { ...policy.metadata, namespace: policy.metadata.namespace ?? namespace } }));
}

const workloadKinds = new Set(['Deployment', 'Rollout', 'StatefulSet', 'Job']);

/** One pod of each rendered workload, by its app.kubernetes.io/component, with an address of the pod network. */
export function podsOf(objects: K8sObject[], namespace: string): Map<string, Endpoint> {
  const pods = new Map<string, Endpoint>();
  for (const workload of objects.filter((object) => workloadKinds.has(object.kind))) {
    const labels: Record<string, string> = workload.spec.template.metadata.labels;
    const component = labels['app.kubernetes.io/component']!;
    const ports: Port[] = workload.spec.template.spec.containers.flatMap((container: { ports?: Port[] }) => container.ports ?? []);
    pods.set(component, { name: component, ip: `10.244.0.${pods.size + 10}`, pod: { namespace, labels, ports } });
  }
  return pods;
}
