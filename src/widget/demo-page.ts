/**
 * The page at `/`: a playground that is also the embedding example. It only
 * uses the widget, like a portal would; the ticket editor is the widget's own.
 */
export function renderDemoPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kb-answers</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f6f8fa; color: #1f2328; }
  main { max-width: 860px; margin: 0 auto; padding: 24px 16px 48px; }
  h1 { font-size: 1.5rem; margin: 0 0 4px; }
  h2 { font-size: 1.2rem; margin: 32px 0 4px; }
  p.lead { margin: 0 0 20px; color: #59636e; }
  pre { background: #fff; border: 1px solid #d1d9e0; border-radius: 6px; padding: 12px; overflow-x: auto; }
  footer { margin-top: 24px; font-size: 0.9rem; color: #59636e; }
</style>
<script src="/widget.js" defer></script>
<script src="/triage.js" defer></script>
</head>
<body>
<main>
  <h1>kb-answers</h1>
  <p class="lead">Ask the runbooks and past incident writeups. Paste the ticket you are holding to sharpen the search, or draft a first reply to it. Answers cite their sources; click a number to read the section.</p>
  <kb-answer ticket-editor draft-reply></kb-answer>
  <h2>Triage a ticket</h2>
  <p class="lead">Paste a new ticket: the category, priority and team the desk's history suggests, how sure that is, and the similar past tickets behind it.</p>
  <kb-triage></kb-triage>
  <footer>
    <p>Embed it in a portal (the server must list the portal's origin in <code>CORS_ORIGINS</code>):</p>
    <pre><code>&lt;script src="https://kb.example.internal/widget.js" defer&gt;&lt;/script&gt;
&lt;kb-answer data-ticket-title="checkout-api 503s" data-ticket-service="checkout-api"&gt;&lt;/kb-answer&gt;</code></pre>
    <p>API: <code>POST /v1/ask</code> and <code>/v1/draft-reply</code> (server-sent events), <code>/v1/search</code>, <code>/v1/triage</code>, <code>/v1/similar</code>, <code>/v1/sections/:id</code>, <code>/v1/chat/completions</code>, <code>/readyz</code>.</p>
  </footer>
</main>
</body>
</html>
`;
}
