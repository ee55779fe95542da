/**
 * The widget's styles, scoped by its shadow root so a portal's CSS neither
 * leaks in nor gets overridden. Portals theme it through the custom
 * properties below (documented in the README) and `::part()`.
 */
export const widgetStyles = `
:host {
  --_font: var(--kb-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  --_code-font: var(--kb-code-font, ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace);
  --_text: var(--kb-text, #1f2328);
  --_muted: var(--kb-muted, #59636e);
  --_background: var(--kb-background, #ffffff);
  --_surface: var(--kb-surface, #f6f8fa);
  --_border: var(--kb-border, #d1d9e0);
  --_accent: var(--kb-accent, #0969da);
  --_accent-text: var(--kb-accent-text, #ffffff);
  --_error: var(--kb-error, #d1242f);
  --_warning: var(--kb-warning, #9a6700);
  --_radius: var(--kb-radius, 6px);
  display: block;
  font: var(--kb-font-size, 15px) / 1.5 var(--_font);
  color: var(--_text);
  background: var(--_background);
  border: 1px solid var(--_border);
  border-radius: var(--_radius);
  padding: 16px;
}
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
form { display: grid; gap: 8px; }
label { font-weight: 600; }
.row { display: flex; gap: 8px; align-items: flex-start; }
textarea, input {
  font: inherit; color: inherit; background: var(--_background);
  border: 1px solid var(--_border); border-radius: var(--_radius); padding: 6px 10px; width: 100%;
}
textarea { resize: vertical; min-height: 2.6em; }
button {
  font: inherit; cursor: pointer; border-radius: var(--_radius); padding: 6px 14px;
  border: 1px solid var(--_border); background: var(--_surface); color: var(--_text);
}
button.primary { background: var(--_accent); border-color: var(--_accent); color: var(--_accent-text); }
button:disabled { opacity: 0.6; cursor: default; }
button.copy { margin: 0.5rem 0; }
:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }
details.ticket { border: 1px dashed var(--_border); border-radius: var(--_radius); padding: 6px 10px; }
details.ticket summary { cursor: pointer; color: var(--_muted); }
details.ticket .fields { display: grid; gap: 6px; margin-top: 8px; }
.status { color: var(--_muted); margin: 10px 0 0; min-height: 1.5em; }
.status:empty { display: none; }
:host([state="error"]) .status { color: var(--_error); font-weight: 600; }
.answer { overflow-wrap: anywhere; }
.answer:empty { display: none; }
:host([state="loading"]) .answer, :host([state="streaming"]) .answer { min-height: 1.5em; }
:host([state="streaming"]) .answer::after {
  content: "▍"; color: var(--_muted); animation: blink 1s steps(2) infinite;
}
@keyframes blink { to { visibility: hidden; } }
.answer h4, .answer h5, .answer h6 { margin: 12px 0 4px; }
.answer p { margin: 8px 0; }
.answer ol, .answer ul { padding-left: 1.5em; margin: 6px 0; }
code { font-family: var(--_code-font); font-size: 0.9em; background: var(--_surface); padding: 0.1em 0.3em; border-radius: 4px; }
.code { position: relative; margin: 8px 0; }
.code pre {
  margin: 0; padding: 10px 12px; overflow-x: auto; background: var(--_surface);
  border: 1px solid var(--_border); border-radius: var(--_radius);
}
.code pre code { background: none; padding: 0; }
.code .copy { position: absolute; top: 4px; right: 4px; padding: 2px 8px; font-size: 0.8em; }
.table { overflow-x: auto; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid var(--_border); padding: 4px 8px; text-align: left; }
blockquote { margin: 8px 0; padding-left: 12px; border-left: 3px solid var(--_border); color: var(--_muted); }
a { color: var(--_accent); }
a.cite { font-size: 0.85em; text-decoration: none; vertical-align: super; line-height: 0; }
a.cite:hover { text-decoration: underline; }
.cite.unknown {
  font-size: 0.85em; vertical-align: super; line-height: 0; cursor: help;
  color: var(--_warning); text-decoration: line-through dotted;
}
.notes:empty { display: none; }
.note { margin: 8px 0 0; font-size: 0.85em; color: var(--_muted); }
.note.flag { color: var(--_text); border-left: 3px solid var(--_warning); padding-left: 8px; }
.sources { margin-top: 12px; border-top: 1px solid var(--_border); padding-top: 8px; }
.sources[hidden] { display: none; }
.sources h3 { font-size: 0.85em; text-transform: uppercase; letter-spacing: 0.04em; color: var(--_muted); margin: 0 0 6px; }
.sources > ol { list-style: none; padding: 0; margin: 0; display: grid; gap: 6px; }
.source .n {
  display: inline-block; min-width: 1.6em; text-align: center; font-size: 0.8em;
  background: var(--_surface); border: 1px solid var(--_border); border-radius: 999px; margin-right: 6px;
}
.source .meta { color: var(--_muted); font-size: 0.85em; margin-left: 2.4em; }
.source .section {
  margin: 6px 0 0 2.4em; padding: 8px 12px; background: var(--_surface);
  border-left: 3px solid var(--_accent); border-radius: var(--_radius);
}
.source .section[hidden] { display: none; }
.turn { border-bottom: 1px solid var(--_border); margin-bottom: 8px; }
.q { font-weight: 600; margin: 8px 0 0; }
.step { font-size: 0.85em; color: var(--_muted); }
.step pre { white-space: pre-wrap; margin: 4px 0; }
.step.failed summary { color: var(--_warning); }
.action { border-left: 3px solid var(--_accent); padding-left: 8px; }
.source.cited .n { border-color: var(--_accent); color: var(--_accent); }
`;
