import { describe, expect, it } from "vitest";
import { buildExtractiveAnswer } from "../../src/answer/extractive-answer.js";
import type { Writeup } from "../../src/answer/read-writeups.js";
import type { Source } from "../../src/retrieval/source.js";

const fence = "```";

/** Sources rank by score: the first one given is the best retrieved, as in a real response. */
function sources(...parts: Partial<Source>[]): Source[] {
  return parts.map((part, index) => ({
    n: index + 1,
    id: `chunk-${index + 1}`,
    path: "runbooks/example.md",
    title: "Example runbook",
    headingPath: [],
    kind: "runbook",
    services: [],
    score: 1 - index / 10,
    text: "",
    position: index,
    ...part,
  }));
}

function citedNumbers(text: string): number[] {
  const numbers = [...text.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
  return [...new Set(numbers)].sort((left, right) => left - right);
}

const rollbackSteps = [
  "1. Pause auto-sync so Argo CD does not re-apply the broken commit:",
  `   ${fence}bash`,
  "   argocd app set orders-api-prod --sync-policy none",
  `   ${fence}`,
  "2. Roll back to the previous history ID (take it from `argocd app history`):",
  `   ${fence}bash`,
  "   argocd app rollback orders-api-prod <history-id>",
  "   argocd app wait orders-api-prod --health --timeout 600",
  `   ${fence}`,
  "3. Watch the pods until every replica reports Ready.",
  "4. Open a revert PR so `main` matches what is running, then re-enable auto-sync.",
].join("\n");

const rollbackRemediation: Partial<Source> = {
  path: "runbooks/rollback-deployment.md",
  title: "Roll back a failed deployment",
  headingPath: ["Remediation"],
  text: `Roll back first and debug later.\n\n${rollbackSteps}\n\nA rollback does not undo a schema migration.`,
};

const rollbackSymptoms: Partial<Source> = {
  path: "runbooks/rollback-deployment.md",
  title: "Roll back a failed deployment",
  headingPath: ["Symptoms"],
  text: [
    "- `kubectl rollout status deployment/orders-api` hangs after a deploy of orders-api.",
    "- The new ReplicaSet of orders-api never becomes ready, so a rollback is pending.",
    "- Argo CD shows the orders-api app as Degraded right after the deploy.",
  ].join("\n"),
};

const tlsRenewal: Partial<Source> = {
  path: "runbooks/tls-certificate-expiry.md",
  title: "TLS certificate expiry",
  headingPath: ["Remediation"],
  text: "Renew the certificate with cert-manager. Check that the ingress serves the new chain before closing the alert.",
};

const redisPoolSteps: Partial<Source> = {
  path: "runbooks/redis-pool-exhaustion.md",
  title: "sessions-redis connection pool exhaustion",
  headingPath: ["Remediation"],
  text: [
    "1. If maxclients is hit right after a deploy, pause the rollout and let old pods terminate.",
    "2. If one pod holds hundreds of connections, delete that pod.",
    "3. Raise the Redis pool size only after checking the worst case per shard.",
  ].join("\n"),
};

const cartIncidentRootCause: Partial<Source> = {
  path: "incidents/2026-05-02-cart-timeouts-redis-pool.md",
  title: "Cart timeouts from sessions-redis pool exhaustion",
  headingPath: ["Root cause"],
  kind: "incident",
  text: "Each team sized its own pool; nobody multiplied pods by pool size against the server limit. The rollout doubled the pods for ten minutes, and the shard refused new clients.",
};

const cartIncidentTimeline: Partial<Source> = {
  path: "incidents/2026-05-02-cart-timeouts-redis-pool.md",
  title: "Cart timeouts from sessions-redis pool exhaustion",
  headingPath: ["Timeline"],
  kind: "incident",
  text: "- **10:02** First Redis pool timeouts in cart-service.\n- **10:31** Rollout paused; errors stop.",
};

describe("buildExtractiveAnswer", () => {
  it("returns no text and no citations when there are no sources", () => {
    expect(buildExtractiveAnswer("How do I roll back?", [])).toEqual({ text: "", citations: [] });
  });

  it("keeps numbered steps whole and in order, with their code fences verbatim", () => {
    const answer = buildExtractiveAnswer(
      "How do I roll back orders-api?",
      sources(rollbackRemediation),
    );
    expect(
      answer.text.startsWith("From **Roll back a failed deployment › Remediation** [1]:"),
    ).toBe(true);
    expect(answer.text).toContain(rollbackSteps);
    expect(answer.citations).toEqual([1]);
  });

  it("rejoins a numbered list that an unindented fence split, keeping the fence between its steps", () => {
    const steps = [
      "1. Scale the consumer down:",
      `${fence}bash`,
      "kubectl -n search scale deploy/search-indexer --replicas=0",
      fence,
      "2. Reset the offsets of the search-indexer group.",
      "3. Scale the consumer back up.",
    ].join("\n");
    const answer = buildExtractiveAnswer(
      "how do I reset the search-indexer consumer?",
      sources({ title: "Search indexer backlog", headingPath: ["Remediation"], text: steps }),
    );
    expect(answer.text).toContain(steps);
  });

  it("shows a contiguous run of the most relevant steps, with their own numbers, when the whole list does not fit", () => {
    const steps = [
      "1. Announce in the incident channel which cluster you are working on and why.",
      "2. Check the dashboards of every service in the namespace for other alerts first.",
      "3. Confirm with the owning team that nobody else is changing the cluster right now.",
      "4. Cordon the node so no new pods land on it while you work.",
      "5. Drain the node: `kubectl drain <node> --ignore-daemonsets --delete-emptydir-data`.",
      "6. Reboot the drained node from the cloud console and wait for it to report Ready.",
      "7. Uncordon the node once it is Ready again.",
      "8. Write a short summary in the incident channel when the cluster is healthy.",
    ].join("\n");
    const answer = buildExtractiveAnswer(
      "how do I drain and reboot the node?",
      sources({ title: "Node NotReady", headingPath: ["Remediation"], text: steps }),
      { maxChars: 420 },
    );
    expect(answer.text).toContain("5. Drain the node:");
    expect(answer.text).toContain("6. Reboot the drained node");
    expect(answer.text).not.toContain("1. Announce");
    expect(answer.text.indexOf("5. Drain")).toBeLessThan(answer.text.indexOf("6. Reboot"));
    expect(answer.text).toContain("_The full procedure is in [1]._");
    expect(answer.text.length).toBeLessThanOrEqual(420);
  });

  it("cites only the sources it quotes, and its citations are exactly the [n] in the text", () => {
    const answer = buildExtractiveAnswer(
      "How do I roll back orders-api after a bad deploy?",
      sources(rollbackRemediation, tlsRenewal, rollbackSymptoms),
    );
    expect(answer.citations).toEqual(citedNumbers(answer.text));
    expect(answer.citations).toContain(1);
    expect(answer.citations).not.toContain(2);
    expect(answer.text).not.toContain("cert-manager");
  });

  it("quotes a further relevant source as a block of its own, with its citation, when room remains", () => {
    const answer = buildExtractiveAnswer(
      "How do I roll back orders-api after a bad deploy?",
      sources(rollbackRemediation, { ...rollbackSymptoms, headingPath: ["Diagnosis"] }),
    );
    expect(answer.text).toContain(
      `From **Roll back a failed deployment › Diagnosis** [2]:\n\n${rollbackSymptoms.text}`,
    );
    expect(answer.text.indexOf("[1]:")).toBeLessThan(answer.text.indexOf("[2]:"));
    expect(answer.citations).toEqual([1, 2]);
  });

  it("adds no line that shares only service and cluster names with the question", () => {
    const answer = buildExtractiveAnswer(
      "orders-api on prod-eu-1: how do I roll back?",
      sources(
        { ...rollbackRemediation, services: ["orders-api", "prod-eu-1"] },
        {
          title: "Deploy freeze calendar",
          headingPath: ["Remediation"],
          services: ["orders-api", "prod-eu-1"],
          text: "Roll back only after the freeze lifts.",
        },
        {
          title: "TLS certificate expiry",
          headingPath: ["Remediation"],
          services: ["public-api", "prod-eu-1"],
          text: "Renew with `cmctl --context prod-eu-1 renew orders-api-tls -n orders-api`.",
        },
      ),
    );
    expect(answer.citations).not.toContain(3);
    expect(answer.text).not.toContain("cmctl");
  });

  it("reads the ticket's words too, so a bare 'what now?' is answered about the ticket", () => {
    const question = "what now?";
    const context = "sessions-redis maxclients reached after the cart-service deploy";
    const answer = buildExtractiveAnswer(question, sources(tlsRenewal, redisPoolSteps), {
      context,
    });
    expect(answer.text).toMatch(/^From \*\*sessions-redis connection pool exhaustion/);
    expect(answer.text).not.toContain("cert-manager");
  });

  it("quotes another section of the lead's document with the room left, even when it matches little", () => {
    const answer = buildExtractiveAnswer(
      "How do I roll back the orders-api deploy?",
      sources(rollbackRemediation, {
        ...rollbackSymptoms,
        headingPath: ["Escalation"],
        text: "Page the platform team if the deploy cannot be undone within ten minutes.",
      }),
    );
    expect(answer.text).toContain(
      "From **Roll back a failed deployment › Escalation** [2]:\n\nPage the platform team",
    );
  });

  it("fills room left from a source's document sections that were not sent, cited as that source and linked", () => {
    const [remediation] = sources(rollbackRemediation);
    const diagnosis: Source = {
      ...(remediation as Source),
      id: "chunk-diagnosis",
      headingPath: ["Diagnosis"],
      text: "Find the broken revision with `argocd app history orders-api-prod` before you roll back.",
    };
    const answer = buildExtractiveAnswer(
      "How do I roll back orders-api?",
      [remediation as Source],
      { otherSections: [diagnosis] },
    );
    expect(answer.text).toContain(
      "From **[Roll back a failed deployment › Diagnosis](/v1/sections/chunk-diagnosis)** [1]:\n\nFind the broken revision",
    );
    expect(answer.citations).toEqual([1]);
    // Asked to act, the sent Remediation leads its document's other sections.
    expect(answer.text).toMatch(/^From \*\*Roll back a failed deployment › Remediation\*\* \[1\]:/);
  });

  it("answers a pasted error with the fix and how to tell the branch, not the symptoms that restate it", () => {
    const symptoms: Partial<Source> = {
      path: "runbooks/dns.md",
      title: "DNS failures",
      headingPath: ["Symptoms"],
      text: "- Python: `socket.gaierror: [Errno -3] Temporary failure in name resolution`.",
    };
    const [remediation, restated] = sources(
      {
        path: "runbooks/dns.md",
        title: "DNS failures",
        headingPath: ["Remediation"],
        text: "1. Scale CoreDNS to six replicas.\n2. Revert a bad Corefile change.",
      },
      symptoms,
    );
    const diagnosis: Source = {
      ...(remediation as Source),
      id: "chunk-diagnosis",
      headingPath: ["Diagnosis"],
      text: "List the CoreDNS pods with `kubectl -n kube-system get pods -l k8s-app=kube-dns`.",
    };
    const answer = buildExtractiveAnswer(
      "socket.gaierror: [Errno -3] Temporary failure in name resolution",
      [remediation as Source, restated as Source],
      { otherSections: [diagnosis] },
    );
    expect(answer.text).toMatch(/^From \*\*DNS failures › Remediation\*\* \[1\]:/);
    expect(answer.text).toContain("k8s-app=kube-dns");
    expect(answer.text).not.toContain("From **DNS failures › Symptoms**");
  });

  it("answers how to fix an alert with the runbook's steps, though only its checks name the alert", () => {
    const [remediation, diagnosis, rollback] = sources(
      {
        path: "runbooks/image-pulls.md",
        title: "ImagePullBackOff after credential expiry",
        headingPath: ["Remediation"],
        text: "1. Refresh the robot secret in the registry.\n2. Delete the stuck pods so they retry.",
      },
      {
        path: "runbooks/image-pulls.md",
        title: "ImagePullBackOff after credential expiry",
        headingPath: ["Diagnosis"],
        text: "Find the stuck pods: `kubectl get pods -A | grep ImagePullBackOff`.",
        // Retrieval finds the two about equally: the alert name is in every section's search text.
        score: 0.97,
      },
      {
        path: "runbooks/rollback.md",
        title: "Roll back a failed deployment",
        headingPath: ["Remediation"],
        text: "1. Roll back to the previous revision.\n2. Watch the new pods until they are ready.",
        // Close enough that the first document's lead is not clear.
        score: 0.85,
      },
    );
    const answer = buildExtractiveAnswer("how do I fix ImagePullBackOff", [
      remediation as Source,
      diagnosis as Source,
      rollback as Source,
    ]);
    expect(answer.text).toMatch(
      /^From \*\*ImagePullBackOff after credential expiry › Remediation\*\* \[1\]:/,
    );
    // Asked where to start instead, the checks lead.
    const start = buildExtractiveAnswer("ImagePullBackOff, where do I start?", [
      remediation as Source,
      diagnosis as Source,
    ]);
    expect(start.text).toMatch(
      /^From \*\*ImagePullBackOff after credential expiry › Diagnosis\*\* \[2\]:/,
    );
  });

  it("answers how to tell which cause it is with the checks, not the symptoms that restate it", () => {
    const [symptoms, diagnosis, other] = sources(
      {
        path: "runbooks/crashloop.md",
        title: "Pods OOMKilled or crash looping",
        headingPath: ["Symptoms"],
        text: "- Pods restart again and again; RESTARTS climbs in `kubectl get pods`.",
      },
      {
        path: "runbooks/crashloop.md",
        title: "Pods OOMKilled or crash looping",
        headingPath: ["Diagnosis"],
        text: "Read `lastState.terminated.reason`: OOMKilled means memory; Error means the app is exiting.",
        score: 0.97,
      },
      {
        path: "runbooks/other.md",
        title: "Node disk full",
        headingPath: ["Remediation"],
        text: "Clean the image cache on the node.",
        score: 0.85,
      },
    );
    const answer = buildExtractiveAnswer(
      "pods restarting, how do I tell if it's OOMKilled or the app exiting?",
      [symptoms as Source, diagnosis as Source, other as Source],
    );
    expect(answer.text).toMatch(/^From \*\*Pods OOMKilled or crash looping › Diagnosis\*\* \[2\]:/);
  });

  it('quotes the lead document\'s diagnosis to "where do I start", though it shares no word with the question', () => {
    const [symptoms] = sources({
      path: "runbooks/latency.md",
      title: "catalog-api high latency",
      headingPath: ["Symptoms"],
      text: "- Listing pages are slow: p99 over 2.5 s on catalog-api.",
    });
    const diagnosis: Source = {
      ...(symptoms as Source),
      id: "chunk-diagnosis",
      headingPath: ["Diagnosis"],
      text: "Open the `Catalog / Dependencies` dashboard and compare each downstream.",
    };
    const answer = buildExtractiveAnswer(
      "listing pages are slow, p99 over 2.5s — where do I start?",
      [symptoms as Source],
      { otherSections: [diagnosis] },
    );
    expect(answer.text).toContain("`Catalog / Dependencies`");
  });

  describe("a part of the question no section sent answers", () => {
    const queue = runbookSections("runbooks/job-queue.md", "Job queue out of control");
    const resolution = queue(
      ["Resolution"],
      3,
      "If the queue is mostly mailers, ask the abuse team whether it is spam. Otherwise start extra workers for the busy queues.",
    );
    // Shares more of the question's words than the section that answers it, and comes first.
    const managing = queue(
      ["Managing queues"],
      4,
      "Job queues keep growing when workers fall behind. List the queues and their sizes in the admin page, then remove jobs from a queue only with the owning team's consent, since removed jobs are not retried.",
    );
    const gathering = queue(
      ["Data gathering"],
      5,
      `Make the workers log what they are doing:\n\n${fence}\nkill -TTIN <worker_pid>\n${fence}\n\nThe backtraces in the log show where threads are stuck.`,
    );

    it("is quoted from the lead document's section that holds its words, before its other sections", () => {
      const answer = buildExtractiveAnswer(
        "job queue keeps growing, mostly mailers. how do I get the workers to dump backtraces?",
        [resolution],
        { otherSections: [managing, gathering], maxChars: 450 },
      );
      expect(answer.text).toMatch(/^From \*\*Job queue out of control › Resolution\*\* \[1\]:/);
      expect(answer.text).toContain("kill -TTIN <worker_pid>");
    });

    it("is not a number another section happens to hold", () => {
      const versions = queue(
        ["Versions"],
        4,
        `Pinned at release 3 since spring.\n\n${fence}\nlibrary==3\n${fence}`,
      );
      const answer = buildExtractiveAnswer(
        "3 job queues keep growing, mostly mailers. how do I get the workers to dump backtraces?",
        [resolution],
        { otherSections: [versions, gathering], maxChars: 400 },
      );
      expect(answer.text).toContain("kill -TTIN <worker_pid>");
      expect(answer.text).not.toContain("release 3");
    });
  });

  it("quotes a runbook's first check before a later sibling retrieval sent, when that one matches the question no better", () => {
    const crashLoop = runbookSections("runbooks/crash-loop.md", "Pods in CrashLoopBackOff");
    const outOfMemory = crashLoop(
      ["Diagnosis", "If it ran out of memory"],
      3,
      "When pods keep restarting because the app ran out of memory, compare the memory limit with real usage: a sawtooth that hits it means the limit is too low.",
    );
    const exits = crashLoop(
      ["Diagnosis", "If the app exits by itself"],
      4,
      "Read the last log lines before the app exits: a missing config key or an unreachable dependency at startup are the usual reasons.",
    );
    const firstCheck = crashLoop(
      ["Diagnosis", "Why did the last container die"],
      2,
      "Ask Kubernetes why the app exits: `kubectl get pod <pod> -o jsonpath='{.status.containerStatuses[0].lastState.terminated.reason}'`.",
    );
    const answer = buildExtractiveAnswer(
      "pods keep restarting, how do i tell if the app ran out of memory or exits?",
      [outOfMemory, { ...exits, score: 0.9 }],
      { otherSections: [firstCheck], maxChars: 560 },
    );
    expect(answer.text).toContain("lastState.terminated.reason");
  });

  describe("a runbook's acting subsections, read in the order written", () => {
    const restore = runbookSections("runbooks/restore.md", "Restore the orders database");
    const preferred = restore(
      ["Remediation", "A. Restore to a side instance (preferred)"],
      4,
      "1. Restore the backup to a side instance with `pgbackrest --stanza=orders restore`.\n2. Copy the damaged rows back.",
    );
    const inPlace = restore(
      ["Remediation", "B. Restore the cluster in place"],
      6,
      "Only with the incident commander's go.\n\n1. Stop all members.\n2. Restore the backup on the first member.",
    );

    it("quotes the first of them first when retrieval sent a later one", () => {
      const answer = buildExtractiveAnswer("how do I restore the backup?", [inPlace], {
        otherSections: [preferred],
      });
      expect(answer.text).toMatch(
        /^From \*\*\[Restore the orders database › Remediation › A\. Restore to a side instance \(preferred\)\]/,
      );
      expect(answer.text).toContain("pgbackrest --stanza=orders restore");
    });

    it("lets a later one lead when its own text names what the asker asked about", () => {
      const answer = buildExtractiveAnswer(
        "how do I stop all members and restore the first member?",
        [inPlace],
        { otherSections: [preferred] },
      );
      expect(answer.text).toMatch(
        /^From \*\*Restore the orders database › Remediation › B\. Restore the cluster in place\*\*/,
      );
    });
  });

  it("quotes numbered steps retrieval sent in their order, even when a later one matches the question better", () => {
    const resize = runbookSections("runbooks/pvc-resize.md", "Resize a persistent volume");
    const deleteSet = resize(
      ["Procedure", "Step 3: Delete the StatefulSet"],
      3,
      "Delete the StatefulSet but keep its pods: `kubectl delete sts <name> --cascade=orphan`.",
    );
    const patchClaims = resize(
      ["Procedure", "Step 4: Resize the volumes"],
      4,
      "Patch each persistent volume claim to grow the volume: `kubectl patch pvc <claim> -p <new size>`, then restart the pods one at a time so the volume grows without downtime.",
    );
    const question = "how do I grow the persistent volume without downtime?";
    const answer = buildExtractiveAnswer(question, [patchClaims, { ...deleteSet, score: 0.9 }], {
      maxChars: 240,
    });
    expect(answer.text).toMatch(/^From \*\*Resize a persistent volume › Procedure › Step 3/);
    expect(answer.text).toContain("--cascade=orphan");
    // Not when the earlier step was not sent: the question's step leads, as for branches.
    const alone = buildExtractiveAnswer(question, [patchClaims], { otherSections: [deleteSet] });
    expect(alone.text).toMatch(/^From \*\*Resize a persistent volume › Procedure › Step 4/);
  });

  it("gives the room left to the lead runbook's sections that retrieval sent, then to its others in the order written", () => {
    const section = runbookSections("runbooks/dns.md", "DNS failures");
    const remediation = section(["Remediation"], 8, "1. Scale CoreDNS to six replicas.");
    const sentCheck = section(
      ["Diagnosis", "Conntrack"],
      6,
      "Lookups time out when `nf_conntrack` is full on the node.",
    );
    const firstCheck = section(
      ["Diagnosis", "Is CoreDNS healthy"],
      2,
      "List the pods with `kubectl -n kube-system get pods -l k8s-app=kube-dns`.",
    );
    const laterCheck = section(
      ["Diagnosis", "Test from inside"],
      4,
      "Run `dig` against the cluster DNS service; lookups that time out point at the nodes.",
    );
    const answer = buildExtractiveAnswer(
      "DNS lookups time out, what do I do?",
      [remediation, { ...sentCheck, n: 2, score: 0.5 }],
      // Room for the fix and two more sections.
      { otherSections: [laterCheck, firstCheck], maxChars: 560 },
    );
    expect(answer.text).toMatch(/^From \*\*DNS failures › Remediation\*\*/);
    expect(answer.text).toContain("`nf_conntrack`");
    expect(answer.text).toContain("k8s-app=kube-dns");
    expect(answer.text).not.toContain("Test from inside");

    // With room for all, the fix stays first and the rest read in the runbook's order.
    const whole = buildExtractiveAnswer(
      "DNS lookups time out, what do I do?",
      [remediation, { ...sentCheck, n: 2, score: 0.5 }],
      { otherSections: [laterCheck, firstCheck] },
    );
    const at = (heading: string) => whole.text.indexOf(`› ${heading}`);
    expect(at("Remediation")).toBe(whole.text.indexOf("›"));
    expect(at("Is CoreDNS healthy")).toBeGreaterThan(at("Remediation"));
    expect(at("Test from inside")).toBeGreaterThan(at("Is CoreDNS healthy"));
    expect(at("Conntrack")).toBeGreaterThan(at("Test from inside"));
    // The line naming what the asker reported is not added when a quote already holds it.
    expect(whole.text).not.toContain("What you reported");
  });

  it("spends its room on what a reader reads: a link's long address does not push the steps out", () => {
    const section = runbookSections("runbooks/pgbouncer.md", "PgBouncer saturation");
    const dashboard = `https://dashboards.example.com/explore?query=${"%22pgbouncer%22".repeat(90)}`;
    const troubleshoot = section(
      ["Troubleshoot"],
      3,
      [
        `* Compare the pools on the [pgbouncer dashboard](${dashboard}).`,
        "* The health check is a TCP check, nothing more.",
        "* Every web pod must reconnect: annotate the deployment to cycle the web pods.",
      ].join("\n"),
    );
    const answer = buildExtractiveAnswer(
      "one pgbouncer node holds all the connections, how do I rebalance it?",
      [troubleshoot],
      { maxChars: 600 },
    );
    expect(answer.text).toContain(dashboard);
    expect(answer.text).toContain("annotate the deployment to cycle the web pods");
  });

  it("counts a document's sections once against maxSources, so another document still gets its place", () => {
    const [diagnosis, mitigation, other] = sources(
      {
        path: "runbooks/alertmanager-failed.md",
        title: "Alertmanager failed to send",
        headingPath: ["Diagnosis"],
        text: "Graph the failed notifications per integration to tell which integration is failing.",
      },
      {
        path: "runbooks/alertmanager-failed.md",
        title: "Alertmanager failed to send",
        headingPath: ["Mitigation"],
        text: "Read the alertmanager logs for the failing integration.",
      },
      {
        path: "runbooks/notification-failures.md",
        title: "Notification failures",
        headingPath: ["Which integration is failing"],
        text: "`alertmanager_notifications_failed_total` by integration tells which integration is failing.",
      },
    );
    const answer = buildExtractiveAnswer(
      "how do I tell which alertmanager integration is failing?",
      [diagnosis as Source, mitigation as Source, other as Source],
      { maxSources: 2 },
    );
    expect(answer.citations).toEqual([1, 2, 3]);
    expect(answer.text).toContain("`alertmanager_notifications_failed_total`");
  });

  describe("the line that ties the fix to what the asker pasted", () => {
    const remediation: Partial<Source> = {
      path: "runbooks/notification-failures.md",
      title: "Order emails not delivered",
      headingPath: ["Remediation"],
      text: "1. Lower `SEND_CONCURRENCY` to 8.\n2. Rotate the relay credentials and restart the deployment.",
    };
    const symptoms = (source: Source): Source => ({
      ...source,
      id: "chunk-symptoms",
      headingPath: ["Symptoms"],
      text: "- `NotificationSendFailuresHigh` fires when more than 5% of sends fail for 10 minutes.\n- Support tickets about missing order confirmations.",
    });

    it("quotes the lead document's line naming the alert of the ticket, cited, when the fix does not name it", () => {
      const [fix] = sources(remediation);
      const answer = buildExtractiveAnswer("what do I do?", [fix as Source], {
        context:
          "Customers not receiving order emails\nNotificationSendFailuresHigh fired at 10:00.",
        otherSections: [symptoms(fix as Source)],
      });
      expect(answer.text).toMatch(/^From \*\*Order emails not delivered › Remediation\*\* \[1\]:/);
      expect(answer.text).toContain(
        "What you reported, as *[Order emails not delivered › Symptoms](/v1/sections/chunk-symptoms)* [1] describes it: `NotificationSendFailuresHigh` fires when",
      );
      expect(answer.citations).toEqual([1]);
    });

    it("quotes the line repeating a pasted error's words, but not one sharing only how the question was asked", () => {
      const [fix] = sources(remediation);
      const withSymptoms = (text: string): Source => ({ ...symptoms(fix as Source), text });
      const pasted = buildExtractiveAnswer("relay says 421 too many connections", [fix as Source], {
        otherSections: [
          withSymptoms("- The relay answers `421 too many connections` to every send."),
        ],
      });
      expect(pasted.text).toContain("describes it: The relay answers `421 too many connections`");
      const asked = buildExtractiveAnswer("how do I fix the relay?", [fix as Source], {
        otherSections: [withSymptoms("- How do I know the relay is throttling? Sends slow down.")],
      });
      expect(asked.text).not.toContain("What you reported");
    });

    it("adds no such line to a question that does not ask for a fix", () => {
      const [fix] = sources(remediation);
      const answer = buildExtractiveAnswer(
        "when did NotificationSendFailuresHigh last fire?",
        [fix as Source],
        { otherSections: [symptoms(fix as Source)] },
      );
      expect(answer.text).not.toContain("What you reported");
    });
  });

  it("cites no more than maxSources sources", () => {
    const answer = buildExtractiveAnswer(
      "How do I roll back orders-api after a bad deploy?",
      sources(rollbackRemediation, rollbackSymptoms),
      { maxSources: 1 },
    );
    expect(answer.citations).toEqual([1]);
    expect(answer.text).not.toContain("[2]");
  });

  describe("choosing the lead source", () => {
    it("leads a pasted alert with a runbook's fix close behind a writeup that quotes the alert", () => {
      const timeline: Partial<Source> = {
        ...cartIncidentTimeline,
        text: "- **10:02** RedisPoolExhausted fires for sessions-redis.\n- **10:31** Rollout paused; errors stop.",
      };
      const pasted = "RedisPoolExhausted firing on sessions-redis";
      const close = buildExtractiveAnswer(
        pasted,
        sources({ ...timeline, score: 1 }, { ...redisPoolSteps, score: 0.9 }),
      );
      expect(close.text).toMatch(
        /^From \*\*sessions-redis connection pool exhaustion › Remediation\*\* \[2\]:/,
      );
      // Far behind, the runbook does not take the lead from what retrieval ranked first.
      const far = buildExtractiveAnswer(
        pasted,
        sources({ ...timeline, score: 1 }, { ...redisPoolSteps, score: 0.5 }),
      );
      expect(far.text).toMatch(/^From \*\*Cart timeouts from sessions-redis pool exhaustion/);
      // Asked about the past, the writeup leads.
      const history = buildExtractiveAnswer(
        "RedisPoolExhausted on sessions-redis, has this happened before?",
        sources({ ...timeline, score: 1 }, { ...redisPoolSteps, score: 0.9 }),
      );
      expect(history.text).toMatch(/^From \*\*Cart timeouts from sessions-redis pool exhaustion/);
    });

    it("lets a lower-ranked source lead when the top one does not match the question", () => {
      const answer = buildExtractiveAnswer(
        "redis pool exhausted after a deploy, what do I do?",
        sources(tlsRenewal, redisPoolSteps),
      );
      expect(answer.text).toMatch(
        /^From \*\*sessions-redis connection pool exhaustion › Remediation\*\* \[2\]:/,
      );
      expect(answer.citations).toEqual([2]);
    });

    it("keeps the top-ranked source in the lead when a lower one matches only a little better", () => {
      const question = "kafka consumer lag on orders events partition after rebalance in prod";
      const answer = buildExtractiveAnswer(
        question,
        sources(
          {
            title: "Kafka consumer lag",
            headingPath: ["Notes"],
            text: "Consumer lag on the orders events topic grows on one partition after a rebalance in prod.",
          },
          {
            title: "Kafka consumer lag",
            headingPath: ["More notes"],
            text: "Kafka consumer lag on the orders events topic grows on one partition after a rebalance in prod.",
          },
        ),
      );
      expect(answer.text).toMatch(/^From \*\*Kafka consumer lag › Notes\*\* \[1\]:/);
    });

    it("prefers a Remediation section for 'how do I roll back' over a higher-ranked Symptoms section", () => {
      const answer = buildExtractiveAnswer(
        "How do I roll back the orders-api deploy?",
        sources(rollbackSymptoms, rollbackRemediation),
      );
      expect(answer.text).toMatch(
        /^From \*\*Roll back a failed deployment › Remediation\*\* \[2\]:/,
      );
      expect(answer.text).toContain("argocd app rollback orders-api-prod <history-id>");
    });

    it("prefers an incident's root cause over a higher-ranked runbook when asked whether it happened before", () => {
      const answer = buildExtractiveAnswer(
        "Redis pool exhausted on cart-service, has this happened before?",
        sources(redisPoolSteps, cartIncidentRootCause, cartIncidentTimeline),
      );
      expect(answer.text).toMatch(
        /^From \*\*Cart timeouts from sessions-redis pool exhaustion › Root cause\*\* \(incident, 2026-05-02\) \[2\]:/,
      );
      // Short enough to quote whole rather than pick sentences from.
      expect(answer.text).toContain(cartIncidentRootCause.text);
    });
    it("keeps the top source in the lead when retrieval found it far more relevant than a wordier one", () => {
      const [top, wordier] = sources(
        {
          title: "DuplicateSamples",
          text: "Prometheus drops samples with a different value but the same timestamp.",
        },
        {
          title: "ScrapeTargetDown",
          text: "A scrape target that is down sends no samples, so they look bad or missing.",
        },
      );
      const question = "DuplicateSamples firing, which scrape target sends the bad samples?";
      const close = buildExtractiveAnswer(question, [
        { ...(top as Source), score: 1 },
        { ...(wordier as Source), score: 0.95 },
      ]);
      expect(close.text).toMatch(/^From \*\*ScrapeTargetDown\*\* \[2\]:/);
      const farApart = buildExtractiveAnswer(question, [
        { ...(top as Source), score: 1 },
        { ...(wordier as Source), score: 0.25 },
      ]);
      expect(farApart.text).toMatch(/^From \*\*DuplicateSamples\*\* \[1\]:/);
    });

    it("lets another section of the best-ranked document lead when it answers and the one sent does not", () => {
      const [expanding, other] = sources(
        {
          path: "runbooks/filesystem.md",
          title: "Filesystem alerts",
          headingPath: ["Resolution", "Expanding a disk"],
          text: "Resize the persistent disk in the cloud console, then grow the filesystem.",
        },
        {
          path: "runbooks/backups.md",
          title: "Backups",
          headingPath: ["Restore test"],
          text: "Check the space left with df before a restore test.",
          score: 0.5,
        },
      );
      const leaks: Source = {
        ...(expanding as Source),
        id: "chunk-leaks",
        headingPath: ["Resolution", "Deleted files still open"],
        text: "When du adds up to less space than df shows used, a process holds deleted files open: `sudo lsof | grep deleted` names it.",
      };
      const answer = buildExtractiveAnswer(
        "du adds up to less than df says is used, where did the space go?",
        [expanding as Source, other as Source],
        { otherSections: [leaks] },
      );
      expect(answer.text).toMatch(
        /^From \*\*\[Filesystem alerts › Resolution › Deleted files still open\]\(\/v1\/sections\/chunk-leaks\)\*\* \[1\]:/,
      );
      expect(answer.text).toContain("`sudo lsof | grep deleted`");
    });
  });

  it("quotes the log lines beside the lead's steps that show the steps apply to the pasted error", () => {
    const steps = Array.from(
      { length: 8 },
      (_, index) =>
        `* Step ${index + 1} of rebuilding the standby: follow the clone checklist, item ${index + 1}, carefully and in this order.`,
    ).join("\n");
    const [section] = sources({
      title: "Postgres disk space",
      headingPath: ["Rebuild a standby after its WAL was removed"],
      text: [
        "If you see log messages like:",
        `${fence}\nFATAL: requested WAL segment 0000000400002B44 has already been removed\n${fence}`,
        "Then the standby is lost.",
        steps,
        ...Array.from(
          { length: 12 },
          (_, index) =>
            `Background paragraph ${index + 1} about how archiving and replication slots interact on the primary.`,
        ),
      ].join("\n\n"),
    });
    const answer = buildExtractiveAnswer(
      "log says `requested WAL segment has already been removed`, how do I rebuild that replica?",
      [section as Source],
    );
    expect(answer.text).toContain("If you see log messages like:");
    expect(answer.text).toContain("has already been removed");
    expect(answer.text).toContain("* Step 1 of rebuilding");
  });

  describe("an incident writeup", () => {
    const path = "incidents/2026-05-02-cart-timeouts-redis-pool.md";
    const writeup: Writeup = {
      date: "2026-05-02",
      summary: "Cart requests timed out for 25 minutes while sessions-redis refused new clients.",
      rootCause: "Pods times pool size exceeded maxclients during a rollout.",
      resolution: "Paused the rollout and lowered the cart-service pool to 16.",
    };
    const writeups = new Map([[path, writeup]]);

    it("tells what happened, the root cause and what fixed it from its frontmatter", () => {
      const answer = buildExtractiveAnswer(
        "Redis pool exhausted on cart-service, has this happened before?",
        sources(cartIncidentRootCause),
        { writeups },
      );
      const story = [
        `**What happened:** ${writeup.summary}`,
        `**Root cause:** ${writeup.rootCause}`,
        `**What fixed it:** ${writeup.resolution}`,
      ].join("\n");
      expect(answer.text).toContain(
        `Root cause** (incident, 2026-05-02) [1]:\n\n${story}\n\n${cartIncidentRootCause.text}`,
      );
    });

    it("quotes its sections in the order the writeup tells them, whatever their rank", () => {
      const answer = buildExtractiveAnswer(
        "why did the cart-service pool run out in the rollout, and when was the rollout paused?",
        // Written Summary, Timeline, Root cause: the Timeline is the second section.
        sources(
          { ...cartIncidentRootCause, position: 2 },
          { ...cartIncidentTimeline, position: 1 },
        ),
        { writeups },
      );
      expect(answer.text).toContain("› Timeline** (incident, 2026-05-02) [2]:");
      expect(answer.text).toContain("› Root cause** (incident, 2026-05-02) [1]:");
      expect(answer.text.indexOf("[2]:")).toBeLessThan(answer.text.indexOf("[1]:"));
      // The story comes once, with the first section told.
      expect(answer.text.split("**Root cause:**")).toHaveLength(2);
      expect(answer.text.indexOf("**Root cause:**")).toBeLessThan(answer.text.indexOf("[1]:"));
    });

    it("leaves the story out rather than the section when both do not fit", () => {
      const answer = buildExtractiveAnswer(
        "Redis pool exhausted on cart-service, has this happened before?",
        sources(cartIncidentRootCause),
        { writeups, maxChars: 300 },
      );
      expect(answer.text).toContain("nobody multiplied pods by pool size");
      expect(answer.text.length).toBeLessThanOrEqual(300);
    });
  });

  describe("asked for a cause", () => {
    const typo =
      "A template typo set every upstream's connection limit to zero, so each proxy refused all new connections.";
    const writeupBody: Partial<Source> = {
      path: "incidents/2026-03-03-checkout-502s.md",
      title: "Checkout 502s from the edge proxies",
      kind: "incident",
      text: [
        "On 3 March the checkout API returned 502 errors to customers in every region for 40 minutes. Mobile and web checkout failed alike, and the status page showed the checkout API as down.",
        "Engineers were paged at 14:05 and rolled the edge proxies back to the previous build at 14:30. Checkout recovered for customers at 14:45 once the proxies had drained.",
        `The outage was caused by a change to the edge proxy configuration. ${typo}`,
        "Follow-up work adds a configuration lint to the deploy pipeline and a canary region for proxy changes.",
      ].join("\n\n"),
    };

    it("quotes the sentence that states the cause with the rest of its paragraph, before the timeline", () => {
      const answer = buildExtractiveAnswer(
        "checkout api threw 502s for customers everywhere in march, root cause?",
        sources(writeupBody),
        { maxChars: 350 },
      );
      expect(answer.text).toContain(
        `The outage was caused by a change to the edge proxy configuration. ${typo}`,
      );
    });

    it("quotes the sentence before a stated cause too: what the cause refers to", () => {
      const pageSize =
        "When it restarted, the cleanup listed the catalog with a fixed page size of 100, newest first.";
      const text = [
        "On 9 August the build platform went down for customers on every plan for 90 minutes, and builds queued.",
        "The cleanup service deletes build images that the image catalog no longer lists, to save storage for customers.",
        `The cleanup had been paused for a week of debugging. ${pageSize} Because a test push had made more than 100 new images, the stable images fell off that page and looked unreferenced.`,
        "Customers saw builds fail until the images were rebuilt from scratch on every plan.",
      ].join("\n\n");
      const answer = buildExtractiveAnswer(
        "why did the cleanup delete the stable build images customers on every plan relied on?",
        sources({
          path: "incidents/2026-08-09-build-images.md",
          title: "Build images deleted",
          kind: "incident",
          text,
        }),
        { maxChars: 400 },
      );
      expect(answer.text).toContain(`${pageSize} Because a test push`);
    });

    it("reads what took a service down as asking for the cause", () => {
      const answer = buildExtractiveAnswer(
        "what took down checkout for customers in every region in march?",
        sources(writeupBody),
        { maxChars: 350 },
      );
      expect(answer.text).toContain(typo);
    });
  });

  it("quotes a sentence between two quoted ones of its paragraph: the quote reads without a hole", () => {
    const middle = "The consumer then retries the same offset forever.";
    const text = [
      `Consumer lag on one partition points to a poison message. ${middle} Skip the poison message by resetting that partition's offset by one.`,
      "Lag dashboards for every consumer group live in the Kafka folder.",
      "Each partition has three replicas across the brokers.",
      "A message older than seven days is deleted by retention.",
    ].join("\n\n");
    const answer = buildExtractiveAnswer(
      "consumer lag on one partition, poison message, how do I skip it?",
      sources({ title: "Kafka consumer lag", headingPath: ["Notes"], text }),
      { maxChars: 275 },
    );
    expect(answer.text).toContain(
      `Consumer lag on one partition points to a poison message. ${middle} Skip the poison message`,
    );
  });

  it("quotes the sentences of a long section that match the question, in reading order", () => {
    const filler = [
      "The events-prod cluster runs three brokers in prod-eu-1.",
      "Topics are owned by the teams that produce to them.",
      "Retention is seven days on every topic unless the owner asks otherwise.",
      "Schema changes go through the registry review every Tuesday.",
      "Dashboards for the cluster live in the Kafka folder in Grafana.",
    ];
    const lagSentence = "Consumer lag on one partition only points to a poison message.";
    const skipSentence = "Skip the poison message by resetting that partition's offset by one.";
    const text = [...filler.slice(0, 3), lagSentence, ...filler.slice(3), skipSentence].join(" ");
    const answer = buildExtractiveAnswer(
      "consumer lag on a single partition, poison message?",
      sources({ title: "Kafka consumer lag", headingPath: ["Notes"], text }),
      { maxChars: 400 },
    );
    expect(answer.text).toContain(lagSentence);
    expect(answer.text).toContain(skipSentence);
    expect(answer.text.indexOf(lagSentence)).toBeLessThan(answer.text.indexOf(skipSentence));
    expect(answer.text).not.toContain("Schema changes");
  });

  it("with room left, quotes the lead's other sentences too, in reading order", () => {
    const text = [
      "The cluster failed on 29 February.",
      "Certificates were computed to expire on a day that does not exist.",
      "Engineers call it the leap day bug.",
    ].join(" ");
    const answer = buildExtractiveAnswer(
      "why did the cluster fail on 29 February?",
      sources({
        title: "Outage writeup",
        kind: "incident",
        text: `${text} ${Array.from({ length: 80 }, (_, index) => `Note ${index} adds nothing.`).join(" ")}`,
      }),
      { maxChars: 600 },
    );
    expect(answer.text).toContain(text);
    expect(answer.text.length).toBeLessThanOrEqual(600);
  });

  it.each([
    [
      "restarting",
      "Why does it keep restarting?",
      "Restart the group only after the poison message is skipped.",
    ],
    ["restart", "How do I restart it?", "It restarts itself after three failed health checks."],
    ["evicted", "Was anything evicted?", "Evicting a workload frees memory on the node."],
    ["rotation", "When is the rotation due?", "Rotate the keys every ninety days."],
    ["roll back", "How do I roll back?", "Trigger the rollback job from the pipeline."],
  ])("matches the question's %s against another form of the word", (_word, question, sentence) => {
    const answer = buildExtractiveAnswer(
      question,
      sources(
        { title: "Latency dashboards", text: "Open the latency dashboard. Page the owning team." },
        { title: "Operations notes", text: `Nothing else is known yet. ${sentence}` },
      ),
    );
    expect(answer.text).toMatch(/^From \*\*Operations notes\*\* \[2\]:/);
    expect(answer.text).toContain(sentence);
  });

  it.each([250, 400, 800, 1800])("stays within maxChars = %i", (maxChars) => {
    const longRemediation = {
      ...rollbackRemediation,
      text: `${rollbackRemediation.text}\n\n${"Keep the incident channel updated with every step you take. ".repeat(20)}`,
    };
    const answer = buildExtractiveAnswer(
      "How do I roll back orders-api after a bad deploy?",
      sources(longRemediation, rollbackSymptoms, redisPoolSteps),
      { maxChars },
    );
    expect(answer.text.length).toBeGreaterThan(0);
    expect(answer.text.length).toBeLessThanOrEqual(maxChars);
    expect(answer.citations).toEqual(citedNumbers(answer.text));
  });

  describe("a code block that is the core of the answer", () => {
    const script = [
      `${fence}bash`,
      ...Array.from(
        { length: 12 },
        (_, index) =>
          `kubectl --context prod-eu-1 -n kafka exec kafka-toolbox -- kafka-topics.sh --describe --topic orders-${index}`,
      ),
      fence,
    ].join("\n");
    const diagnosis = {
      title: "Kafka under-replicated partitions",
      headingPath: ["Diagnosis"],
      text: script,
    };
    const fallback = {
      title: "Kafka consumer lag",
      headingPath: ["Notes"],
      text: "Under-replicated partitions on the orders topics usually follow a broker restart.",
    };

    it("is kept whole beyond maxChars, up to twice maxChars", () => {
      const answer = buildExtractiveAnswer(
        "describe the under-replicated orders topics",
        sources(diagnosis, fallback),
        { maxChars: 900 },
      );
      expect(script.length).toBeGreaterThan(900);
      expect(answer.text).toContain(script);
      expect(answer.text.length).toBeLessThanOrEqual(1800);
    });

    it("is dropped beyond twice maxChars, and another source answers", () => {
      const answer = buildExtractiveAnswer(
        "describe the under-replicated orders topics",
        sources(diagnosis, fallback),
        { maxChars: 400 },
      );
      expect(answer.text).not.toContain(fence);
      expect(answer.text).toContain("usually follow a broker restart");
      expect(answer.text.length).toBeLessThanOrEqual(400);
    });
  });

  it.each([
    [2000, true],
    [300, true],
    [150, false],
  ])("never splits a table (maxChars = %i, table shown: %s)", (maxChars, shown) => {
    const table = [
      "| Service | Pool max per pod | Normal pods | Max pods |",
      "|---|---|---|---|",
      "| cart-service | 32 | 24 | 60 |",
      "| checkout-api | 50 | 18 | 48 |",
      "| orders-api | 20 | 12 | 30 |",
    ].join("\n");
    const answer = buildExtractiveAnswer(
      "what is the pool max per pod for cart-service?",
      sources({
        title: "sessions-redis connection pool exhaustion",
        headingPath: ["Diagnosis", "Client side"],
        text: `Pool sizing: pods times pool size must stay under maxclients per shard.\n\n${table}\n\nThe cart-service pool is the one that runs out first.`,
      }),
      { maxChars },
    );
    const shownLines = table.split("\n").filter((line) => answer.text.includes(line));
    expect(shownLines).toEqual(shown ? table.split("\n") : []);
    expect(answer.text).toContain(
      shown ? table : "The cart-service pool is the one that runs out first.",
    );
    expect(answer.text.length).toBeLessThanOrEqual(maxChars);
  });

  it("quotes a sentence or step only once when joined chunks repeat it as overlap", () => {
    const answer = buildExtractiveAnswer(
      "how do I roll back orders-api?",
      sources({
        ...rollbackRemediation,
        text: `${rollbackSteps}\n\n4. Open a revert PR so \`main\` matches what is running, then re-enable auto-sync.`,
      }),
    );
    expect(answer.text.split("4. Open a revert PR")).toHaveLength(2);
  });

  it("is deterministic and leaves its input untouched", () => {
    const input = sources(rollbackRemediation, rollbackSymptoms, redisPoolSteps);
    const copy = structuredClone(input);
    const first = buildExtractiveAnswer("How do I roll back orders-api?", input, { maxChars: 500 });
    const second = buildExtractiveAnswer("How do I roll back orders-api?", input, {
      maxChars: 500,
    });
    expect(second).toEqual(first);
    expect(input).toEqual(copy);
  });
});

/** Sections of one runbook, as source 1, each made from its headings, place in the document and text. */
function runbookSections(path: string, title: string) {
  return (headingPath: string[], position: number, text: string): Source => ({
    n: 1,
    id: `chunk-${position}`,
    path,
    title,
    headingPath,
    kind: "runbook",
    services: [],
    score: 1,
    text,
    position,
  });
}
