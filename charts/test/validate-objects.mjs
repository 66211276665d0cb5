// Validates Kubernetes objects offline against the Kubernetes and CRD schemas
// of the kubernetes-models packages (core, Argo Rollouts, Prometheus Operator,
// cert-manager; ES modules, hence a child process of the jest tests). Reads a
// JSON array of objects on stdin; writes a JSON array of { kind, name, error }
// (error null when valid) on stdout.
const MODULES = {
  'argoproj.io/v1alpha1': '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1',
  'monitoring.coreos.com/v1': '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1',
  'cert-manager.io/v1': '@kubernetes-models/cert-manager/cert-manager.io/v1',
};

function modulePath(apiVersion) {
  if (MODULES[apiVersion]) return MODULES[apiVersion];
  // core: "v1" -> kubernetes-models/v1; groups: "apps/v1" -> kubernetes-models/apps/v1
  return `kubernetes-models/${apiVersion}`;
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const object of JSON.parse(input)) {
  const name = object?.metadata?.name;
  const kind = object?.kind;
  let error = null;
  try {
    const module = await import(modulePath(object.apiVersion));
    const Model = module[kind];
    if (typeof Model !== 'function') throw new Error(`no schema for ${object.apiVersion} ${kind}`);
    new Model(object).validate();
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  results.push({ kind, name, error });
}
process.stdout.write(JSON.stringify(results));
