/**
 * Shorthand that on-call engineers type and runbooks spell out, each with its long form.
 * Definitions only (an abbreviation and what it stands for), never looser synonyms: the
 * short form is still searched, so a document that writes it keeps its match.
 */
const longForms: Record<string, string> = {
  k8s: "kubernetes",
  kube: "kubernetes",
  pg: "postgres postgresql",
  db: "database",
  dbs: "databases",
  oom: "out of memory",
  oomkilled: "oom killed out of memory",
  cert: "certificate",
  certs: "certificates",
  pvc: "persistent volume claim",
  pvcs: "persistent volume claims",
  pv: "persistent volume",
  ns: "namespace",
  hpa: "horizontal pod autoscaler",
  lb: "load balancer",
  vm: "virtual machine",
  vms: "virtual machines",
  sts: "statefulset",
  ds: "daemonset",
  svc: "service",
  deploy: "deployment",
  cfg: "configuration",
  config: "configuration",
  env: "environment",
  prod: "production",
  repo: "repository",
  repos: "repositories",
  creds: "credentials",
  perms: "permissions",
  mem: "memory",
  auth: "authentication",
};

/** The long forms of the shorthand words in `text`, each once, joined by spaces ("" for none). */
export function longFormsIn(text: string): string {
  const found = new Set<string>();
  for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    const longForm = longForms[word];
    if (longForm !== undefined) found.add(longForm);
  }
  return [...found].join(" ");
}
