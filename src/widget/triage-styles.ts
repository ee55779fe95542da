/** `<kb-triage>`'s styles: the widget's custom properties, so one theme styles both. */
export const triageStyles = `
:host {
  --_text: var(--kb-text, #1f2328);
  --_muted: var(--kb-muted, #59636e);
  --_background: var(--kb-background, #ffffff);
  --_surface: var(--kb-surface, #f6f8fa);
  --_border: var(--kb-border, #d1d9e0);
  --_accent: var(--kb-accent, #0969da);
  --_warning: var(--kb-warning, #9a6700);
  --_radius: var(--kb-radius, 6px);
  display: block; padding: 16px; color: var(--_text); background: var(--_background);
  font: var(--kb-font-size, 15px) / 1.5 var(--kb-font, system-ui, sans-serif);
  border: 1px solid var(--_border); border-radius: var(--_radius);
}
* { box-sizing: border-box; }
form { display: grid; gap: 6px; }
label { font-weight: 600; }
input, textarea { font: inherit; width: 100%; padding: 6px 10px; border: 1px solid var(--_border); border-radius: var(--_radius); }
button { justify-self: start; font: inherit; padding: 6px 14px; border-radius: var(--_radius); border: 1px solid var(--_accent); background: var(--_accent); color: #fff; cursor: pointer; }
button:disabled { opacity: 0.6; cursor: default; }
.status:empty { display: none; }
.summary { font-weight: 600; }
.review { padding: 8px 12px; border-radius: var(--_radius); background: var(--_surface); margin: 8px 0; }
.review.needs { border-left: 4px solid var(--_warning); }
.review.ok { border-left: 4px solid var(--_accent); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--_border); vertical-align: top; }
.tag { display: inline-block; padding: 0 8px; margin: 0 4px 4px 0; border-radius: 999px; background: var(--_surface); border: 1px solid var(--_border); }
.muted { color: var(--_muted); font-size: 0.9em; }
ol.similar { padding-left: 1.2em; }
`;
