import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../helpers/start-app.js";

describe("the widget script and the demo page", () => {
  let app: TestApp;
  afterEach(async () => {
    await app?.close();
  });

  it("serves /widget.js as a small script that browsers can revalidate", async () => {
    app = await startTestApp({ widget: true, ingest: false });
    const response = await fetch(`${app.baseUrl}/widget.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    const script = await response.text();
    expect(script).toContain("kb-answer");
    // The README states the gzipped size; keep it honest and small. 34 KiB since the thread
    // and the tool steps (#15); the typed client's other calls stay out of the bundle.
    expect(gzipSync(script).length).toBeLessThan(34 * 1024);

    const etag = response.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    const again = await fetch(`${app.baseUrl}/widget.js`, {
      headers: { "if-none-match": etag ?? "" },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
  });

  it("serves /triage.js, the demo page's triage view, as its own script that browsers can revalidate", async () => {
    app = await startTestApp({ widget: true, ingest: false });
    const response = await fetch(`${app.baseUrl}/triage.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    const script = await response.text();
    expect(script).toContain("kb-triage");
    expect(gzipSync(script).length).toBeLessThan(16 * 1024);
    const again = await fetch(`${app.baseUrl}/triage.js`, {
      headers: { "if-none-match": response.headers.get("etag") ?? "" },
    });
    expect(again.status).toBe(304);
  });

  it("serves the demo page at / with a policy that allows only its own scripts", async () => {
    app = await startTestApp({ widget: true, ingest: false });
    const response = await fetch(`${app.baseUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const policy = response.headers.get("content-security-policy") ?? "";
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    const html = await response.text();
    expect(html).toContain('<script src="/widget.js" defer></script>');
    expect(html).toContain("<kb-answer ticket-editor draft-reply>");
    expect(html).toContain('<script src="/triage.js" defer></script>');
    expect(html).toContain("<kb-triage>");
  });

  it("answers 404 for both when the app was built without them", async () => {
    app = await startTestApp({ ingest: false });
    expect((await fetch(`${app.baseUrl}/widget.js`)).status).toBe(404);
    const page = await fetch(`${app.baseUrl}/`);
    expect(page.status).toBe(404);
    expect(((await page.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });
});
