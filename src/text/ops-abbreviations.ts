/**
 * Shorthand that on-call engineers type and runbooks spell out, each with its long form.
 * Definitions only (an abbreviation and what it stands for, or each way it is written out),
 * never looser synonyms: the short form is still searched, so a document that writes it keeps
 * its match.
 */
const longForms: Record<string, readonly string[]> = {
  k8s: ["kubernetes"],
  kube: ["kubernetes"],
  pg: ["postgres", "postgresql"],
  db: ["database"],
  dbs: ["databases"],
  oom: ["out of memory"],
  oomkilled: ["oom killed", "out of memory"],
  cert: ["certificate"],
  certs: ["certificates"],
  pvc: ["persistent volume claim"],
  pvcs: ["persistent volume claims"],
  pv: ["persistent volume"],
  ns: ["namespace"],
  hpa: ["horizontal pod autoscaler"],
  lb: ["load balancer"],
  vm: ["virtual machine"],
  vms: ["virtual machines"],
  sts: ["statefulset"],
  ds: ["daemonset"],
  svc: ["service"],
  deploy: ["deployment"],
  cfg: ["configuration"],
  config: ["configuration"],
  env: ["environment"],
  prod: ["production"],
  repo: ["repository"],
  repos: ["repositories"],
  creds: ["credentials"],
  perms: ["permissions"],
  mem: ["memory"],
  auth: ["authentication"],
  prom: ["prometheus"],
  conn: ["connection"],
  conns: ["connections"],
  msg: ["message"],
  msgs: ["messages"],
  txn: ["transaction"],
  txns: ["transactions"],
  mgmt: ["management"],
  infra: ["infrastructure"],
  lbs: ["load balancers"],
  gw: ["gateway"],
  pkg: ["package"],
  pkgs: ["packages"],
};

/**
 * Phrasal verbs whose noun runbooks write as one word: "the job keeps timing out" is about a
 * `timeout`, "we rolled back the release" about a `rollback`.
 */
const joinedNouns: [RegExp, string][] = [
  [/\btim(?:e|es|ed|ing) ?out\b/, "timeout"],
  [/\broll(?:s|ed|ing)? back\b/, "rollback"],
  [/\bfail(?:s|ed|ing)? over\b/, "failover"],
  // Not "backed up" or "backing up": a queue backs up too.
  [/\bback up\b/, "backup"],
  [/\bshut(?:s|ting)? down\b/, "shutdown"],
  [/\bclean(?:s|ed|ing)? up\b/, "cleanup"],
  [/\bstart(?:s|ed|ing)? up\b/, "startup"],
  [/\bset(?:s|ting)? up\b/, "setup"],
  // Not "logs in": "the logs in kibana" is about logs.
  [/\blog(?:ged|ging)? in\b/, "login"],
  [/\bcrash(?:es|ed|ing)? ?loop/, "crashloop crashloopbackoff"],
];

/**
 * The long forms of the shorthand words in `text` and the one-word nouns of its phrasal verbs,
 * each once, joined by spaces ("" for none).
 */
export function longFormsIn(text: string): string {
  const found = new Set<string>();
  const lowered = text.toLowerCase();
  for (const word of lowered.split(/[^\p{L}\p{N}]+/u)) {
    for (const longForm of longForms[word] ?? []) found.add(longForm);
  }
  for (const [phrase, noun] of joinedNouns) if (phrase.test(lowered)) found.add(noun);
  return [...found].join(" ");
}

/** The ways a shorthand word (`cert`, `k8s`; lowercase) is written out, or none for another word. */
export function longFormsOf(word: string): readonly string[] {
  return Object.hasOwn(longForms, word) ? (longForms[word] ?? []) : [];
}
