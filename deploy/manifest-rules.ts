// What this stack promises of its Kubernetes manifests, beyond the API schemas: probes on /ready and
// /health, resources, a restricted security context, an autoscaler and a disruption budget for every
// service that scales, /metrics on its own port behind a headless Service, the supergraph mounted
// as a directory, and every Secret key a pod reads provided where the overlay writes the Secret. Used by deploy/check-manifests.ts.

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

interface Probe {
  httpGet?: { path?: string };
}
interface Container {
  name: string;
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
  volumeMounts?: { name: string; mountPath: string; subPath?: string }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } } }[];
  ports?: { name?: string; containerPort: number }[];
}
interface PodSpec {
  securityContext?: { runAsNonRoot?: boolean };
  containers: Container[];
  volumes?: { name: string; configMap?: { name: string } }[];
}

/** The services that scale out: each needs a HorizontalPodAutoscaler and a PodDisruptionBudget. */
const SCALED_SERVICES = ['router', 'users', 'products', 'orders'];

function podSpecOf(deployment: KubernetesObject): PodSpec {
  return (deployment.spec?.template as { spec: PodSpec }).spec;
}

function checkContainer(container: Container): string[] {
  const problems: string[] = [];
  const path = (probe: Probe | undefined) => probe?.httpGet?.path;
  if (path(container.startupProbe) !== '/ready') problems.push('startupProbe must GET /ready');
  if (path(container.readinessProbe) !== '/ready') problems.push('readinessProbe must GET /ready');
  if (path(container.livenessProbe) !== '/health') problems.push('livenessProbe must GET /health');
  for (const kind of ['requests', 'limits'] as const) {
    const amounts = container.resources?.[kind];
    if (!amounts?.cpu || !amounts.memory) problems.push(`resources.${kind} must set cpu and memory`);
  }
  if (container.securityContext?.readOnlyRootFilesystem !== true) problems.push('readOnlyRootFilesystem must be true');
  if (container.securityContext?.allowPrivilegeEscalation !== false) problems.push('allowPrivilegeEscalation must be false');
  return problems.map((problem) => `container ${container.name}: ${problem}`);
}

function checkDeployment(deployment: KubernetesObject): string[] {
  const pod = podSpecOf(deployment);
  const problems = pod.containers.flatMap(checkContainer);
  if (pod.securityContext?.runAsNonRoot !== true) problems.push('securityContext.runAsNonRoot must be true');
  return problems;
}

/** The router reads the supergraph from a ConfigMap mounted whole: a subPath mount is never updated. */
function checkSupergraphMount(router: KubernetesObject): string[] {
  const pod = podSpecOf(router);
  const volume = pod.volumes?.find((candidate) => candidate.configMap?.name === 'supergraph');
  const mount = pod.containers[0]?.volumeMounts?.find((candidate) => candidate.name === volume?.name);
  if (!volume || !mount) return ['the supergraph ConfigMap must be mounted into the router'];
  return mount.subPath ? ['the supergraph ConfigMap must be mounted as a directory, not with subPath'] : [];
}

/**
 * Metrics off the public port (docs/observability.md): the container sets METRICS_PORT to its port
 * named `metrics`, and a headless `<service>-metrics` Service, the one Prometheus discovers, targets it.
 */
function checkMetricsListener(deployment: KubernetesObject, services: KubernetesObject[]): string[] {
  const name = deployment.metadata?.name ?? '?';
  const container = podSpecOf(deployment).containers[0];
  const port = container?.ports?.find((candidate) => candidate.name === 'metrics')?.containerPort;
  const setting = container?.env?.find((variable) => variable.name === 'METRICS_PORT')?.value;
  const problems: string[] = [];
  if (port === undefined || setting !== String(port))
    problems.push(`Deployment/${name}: METRICS_PORT must be set to its container port named metrics`);
  const service = services.find((candidate) => candidate.metadata?.name === `${name}-metrics`);
  if (!service) problems.push(`Service/${name}-metrics (headless, for Prometheus) is missing`);
  else if (service.spec?.clusterIP !== 'None') problems.push(`Service/${name}-metrics must be headless (clusterIP: None)`);
  return problems;
}

/** Every required Secret key a container reads is in the Secret, when the overlay writes one. */
function checkSecretKeys(deployments: KubernetesObject[], secrets: KubernetesObject[]): string[] {
  const problems: string[] = [];
  for (const deployment of deployments) {
    for (const container of podSpecOf(deployment).containers) {
      for (const variable of container.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef;
        if (!ref || ref.optional) continue;
        const secret = secrets.find((candidate) => candidate.metadata?.name === ref.name);
        if (secret && !(ref.key in (secret.data ?? {}))) {
          problems.push(`Deployment/${deployment.metadata?.name}: Secret ${ref.name} has no key ${ref.key}`);
        }
      }
    }
  }
  return problems;
}

/** Every problem of one rendered overlay, each naming its object. */
export function checkOverlay(objects: KubernetesObject[]): string[] {
  const named = (kind: string) => objects.filter((object) => object.kind === kind);
  const names = (kind: string) => new Set(named(kind).map((object) => object.metadata?.name));
  const deployments = named('Deployment');
  const problems = deployments.flatMap((deployment) =>
    checkDeployment(deployment).map((problem) => `Deployment/${deployment.metadata?.name}: ${problem}`),
  );
  for (const service of SCALED_SERVICES) {
    for (const kind of ['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']) {
      if (!names(kind).has(service)) problems.push(`${kind}/${service} is missing`);
    }
  }
  for (const deployment of deployments.filter((candidate) => SCALED_SERVICES.includes(candidate.metadata?.name ?? ''))) {
    problems.push(...checkMetricsListener(deployment, named('Service')));
  }
  const router = deployments.find((deployment) => deployment.metadata?.name === 'router');
  if (router) problems.push(...checkSupergraphMount(router));
  if (!names('ConfigMap').has('supergraph')) problems.push('ConfigMap/supergraph is missing');
  problems.push(...checkSecretKeys(deployments, named('Secret')));
  return problems;
}
