/**
 * deploy/kubernetes: the base and both overlays rendered with `kubectl kustomize` (offline), every
 * object validated against the Kubernetes API schemas (the `kubernetes-models` packages), and the
 * wiring the schemas cannot see: probes on the ports the app serves, selectors that match, the
 * Ingress paths, the settings' sources, resources, the autoscalers' metrics.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const haveKubectl = kubectl.status === 0;
// In CI a missing kubectl is a failure, never a skipped test (.ci/run installs it).
const inCi = process.env.CI === 'true';

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: any;
  data?: Record<string, string>;
}

function render(dir: string): K8sObject[] {
  const text = execFileSync('kubectl', ['kustomize', dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as K8sObject)
    .filter(Boolean);
}

/** Validates with the model class for its apiVersion and kind; throws the schema's complaint. */
async function validateObject(object: K8sObject): Promise<void> {
  const modulePath = `kubernetes-models/${object.apiVersion}`;
  const models = (await import(modulePath)) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = models[object.kind];
  if (!Model) throw new Error(`no model for ${object.apiVersion} ${object.kind}`);
  new Model(object).validate();
}

const find = (objects: K8sObject[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} is missing`);
  return found;
};

const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

/** Mebibytes of a Kubernetes memory quantity (Mi, Gi). */
const mebibytes = (quantity: string) =>
  Number.parseFloat(quantity) * (quantity.endsWith('Gi') ? 1024 : quantity.endsWith('Mi') ? 1 : Number.NaN);

it.runIf(!haveKubectl && inCi)('kubectl is installed (CI renders the manifests with it)', () => {
  expect.fail(`kubectl is missing: ${kubectl.error?.message ?? kubectl.stderr}`);
});

describe.skipIf(!haveKubectl)('deploy/kubernetes', () => {
  // Rendered while collecting, so only where kubectl exists (elsewhere the suite is skipped).
  const rendered = {
    base: haveKubectl ? render('deploy/kubernetes/base') : [],
    local: haveKubectl ? render('deploy/kubernetes/overlays/local') : [],
    production: haveKubectl ? render('deploy/kubernetes/overlays/production') : [],
  };

  it.each(Object.keys(rendered))(
    '%s: every rendered object is valid under the Kubernetes schemas',
    async (name) => {
      const objects = rendered[name as keyof typeof rendered];
      expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
        'ConfigMap/helpdesk-config',
        'Deployment/helpdesk-serve',
        'Deployment/helpdesk-worker',
        'HorizontalPodAutoscaler/helpdesk-serve',
        'HorizontalPodAutoscaler/helpdesk-worker',
        'Ingress/helpdesk',
        'Job/helpdesk-migrate',
        'PodDisruptionBudget/helpdesk-serve',
        'PodDisruptionBudget/helpdesk-worker',
        'Service/helpdesk-serve',
      ]);
      for (const object of objects) await validateObject(object);
    },
  );

  it('the validation can fail: a wrong type or a missing required field is refused', async () => {
    const serve = structuredClone(find(rendered.base, 'Deployment', 'helpdesk-serve'));
    serve.spec.replicas = 'two';
    await expect(validateObject(serve)).rejects.toThrow(/replicas must be integer/);
    const ingress = structuredClone(find(rendered.base, 'Ingress', 'helpdesk'));
    delete ingress.spec.rules[0].http.paths[0].pathType;
    await expect(validateObject(ingress)).rejects.toThrow(/pathType/);
  });

  it('probes serve on PORT (/readyz, /healthz) and the worker on WORKER_HEALTH_PORT', () => {
    const config = find(rendered.base, 'ConfigMap', 'helpdesk-config').data!;
    for (const [role, port] of [
      ['serve', config.PORT],
      ['worker', config.WORKER_HEALTH_PORT],
    ] as const) {
      const deployment = find(rendered.base, 'Deployment', `helpdesk-${role}`);
      const [container] = deployment.spec.template.spec.containers;
      expect(container.args).toEqual([role]);
      const named = container.ports.find(
        (p: { name: string }) => p.name === container.readinessProbe.httpGet.port,
      );
      expect(String(named?.containerPort)).toBe(port);
      expect(container.readinessProbe.httpGet.path).toBe('/readyz');
      expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: named.name });
      expect(container.envFrom).toEqual([
        { configMapRef: { name: 'helpdesk-config' } },
        { secretRef: { name: 'helpdesk-secrets' } },
      ]);
      expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
      expect(matches(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(
        true,
      );
    }
  });

  it('requests and limits memory as measured: serve 256-384Mi, worker 384-512Mi', () => {
    const memory = (role: string) =>
      find(rendered.base, 'Deployment', `helpdesk-${role}`).spec.template.spec.containers[0].resources;
    for (const [role, low, high] of [
      ['serve', 256, 384],
      ['worker', 384, 512],
    ] as const) {
      const { requests, limits } = memory(role);
      expect(mebibytes(requests.memory)).toBeGreaterThanOrEqual(low);
      expect(mebibytes(limits.memory)).toBeLessThanOrEqual(high);
      expect(mebibytes(requests.memory)).toBeLessThanOrEqual(mebibytes(limits.memory));
      expect(requests.cpu).toBeDefined();
    }
  });

  it('routes /slack/events and /api/messages to the serve pods, and nothing else but the charts', () => {
    const ingress = find(rendered.base, 'Ingress', 'helpdesk');
    const paths = ingress.spec.rules.flatMap((rule: any) => rule.http.paths);
    expect(paths.map((p: any) => p.path)).toEqual(['/slack/events', '/api/messages', '/charts/']);
    const service = find(rendered.base, 'Service', 'helpdesk-serve');
    for (const path of paths) expect(path.backend.service.name).toBe(service.metadata.name);
    const serve = find(rendered.base, 'Deployment', 'helpdesk-serve');
    expect(matches(service.spec.selector, serve.spec.template.metadata.labels)).toBe(true);
    expect(
      matches(
        service.spec.selector,
        find(rendered.base, 'Deployment', 'helpdesk-worker').spec.template.metadata.labels,
      ),
    ).toBe(false);
  });

  it('keeps one of each running through a drain, and scales serve on CPU and worker on queue depth', () => {
    for (const role of ['serve', 'worker']) {
      const budget = find(rendered.base, 'PodDisruptionBudget', `helpdesk-${role}`);
      const pods = find(rendered.base, 'Deployment', `helpdesk-${role}`).spec.template.metadata.labels;
      expect(matches(budget.spec.selector.matchLabels, pods)).toBe(true);
      expect(budget.spec.minAvailable).toBeGreaterThanOrEqual(1);
    }
    const serve = find(rendered.base, 'HorizontalPodAutoscaler', 'helpdesk-serve');
    expect(serve.spec.scaleTargetRef.name).toBe('helpdesk-serve');
    expect(serve.spec.metrics).toEqual([
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
      },
    ]);
    const worker = find(rendered.base, 'HorizontalPodAutoscaler', 'helpdesk-worker');
    expect(worker.spec.scaleTargetRef.name).toBe('helpdesk-worker');
    expect(worker.spec.metrics[0].type).toBe('External');
    // The metric the worker exports (test/ops/metric-names.test.ts checks the name exists).
    expect(worker.spec.metrics[0].external.metric).toEqual({
      name: 'helpdesk_queue_jobs',
      selector: { matchLabels: { state: 'waiting' } },
    });
  });

  it('migrates in a Job that never restarts in place, with the same settings', () => {
    const job = find(rendered.base, 'Job', 'helpdesk-migrate');
    const spec = job.spec.template.spec;
    expect(spec.restartPolicy).toBe('Never');
    expect(spec.containers[0].args).toEqual(['migrate']);
    expect(spec.containers[0].envFrom).toEqual(
      find(rendered.base, 'Deployment', 'helpdesk-serve').spec.template.spec.containers[0].envFrom,
    );
  });

  it('commits no secret values: no Secret object is rendered, and the ConfigMap holds none', () => {
    for (const objects of Object.values(rendered)) {
      expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
      const data = find(objects, 'ConfigMap', 'helpdesk-config').data ?? {};
      expect(
        Object.keys(data).filter((key) => /URL$|TOKEN|SECRET|PASSWORD|KEY/.test(key) && key !== 'PUBLIC_URL'),
      ).toEqual([]);
    }
  });

  it('overlays: local runs one of each from a local image, production the registry image with TLS', () => {
    for (const objects of [rendered.local, rendered.production])
      for (const object of objects) expect(object.metadata.namespace).toBe('helpdesk');
    const image = (objects: K8sObject[]) =>
      find(objects, 'Deployment', 'helpdesk-serve').spec.template.spec.containers[0].image;
    expect(image(rendered.local)).toBe('helpdesk:local');
    expect(find(rendered.local, 'Deployment', 'helpdesk-worker').spec.replicas).toBe(1);
    expect(image(rendered.production)).toMatch(/^registry\.example\.com\/helpdesk:\d+\.\d+\.\d+$/);
    expect(find(rendered.production, 'Deployment', 'helpdesk-serve').spec.replicas).toBe(3);
    const ingress = find(rendered.production, 'Ingress', 'helpdesk');
    expect(ingress.spec.tls[0].hosts).toEqual([ingress.spec.rules[0].host]);
    // The production overlay patches only what it must: the base's paths survive the merge.
    expect(ingress.spec.rules[0].http.paths).toHaveLength(3);
    expect(find(rendered.production, 'ConfigMap', 'helpdesk-config').data?.WORKER_HEALTH_PORT).toBe('3001');
  });
});
