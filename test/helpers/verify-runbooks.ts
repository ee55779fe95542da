import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { TestApp } from "./start-app.js";

/** Two runbooks with a Verify section each: "how do I verify it?" alone cannot tell them apart. */
const runbooksWithVerify = {
  "orders-db-failover.md": `---
title: Fail over orders-db to the replica
kind: runbook
services: [orders-db]
tags: [postgres, patroni]
---

# Fail over orders-db to the replica

## Remediation

1. Pause the orders writers with \`kubectl -n orders scale deployment/orders-writer --replicas=0\`.
2. Promote the replica with \`patronictl -c /etc/patroni.yml failover orders-db --candidate orders-db-1\`.
3. Scale the writers back up.

## Verify

Run \`patronictl -c /etc/patroni.yml list\` and check that orders-db-1 is the Leader with lag 0.
`,
  "search-api-key-rotation.md": `---
title: Rotate the search API key
kind: runbook
services: [search-api]
tags: [secrets]
---

# Rotate the search API key

## Steps

1. Create a new key in the search console and store it in Vault at \`secret/search-api\`.
2. Restart search-api so it reads the new key.

## Verify

To verify the rotation, verify that \`curl -H "Authorization: Bearer $NEW_KEY" https://search.internal/health\` answers 200, and verify that the old key now answers 401.
`,
};

/** Write both runbooks into the app's KB and ingest them. */
export async function addRunbooksWithVerify(app: TestApp): Promise<void> {
  for (const [name, text] of Object.entries(runbooksWithVerify))
    await writeFile(join(app.kbDir, "runbooks", name), text);
  await app.ingest();
}
