/** What the server serves at `/widget.js`, `/triage.js` and `/`: written to dist/public by `npm run build`. */
export interface WidgetAssets {
  /** The `<kb-answer>` custom element as one classic script, minified. */
  widgetJs: string;
  /** The `<kb-triage>` element (the demo page's triage view), a separate script: portals that only ask do not load it. */
  triageJs: string;
  /** The demo page served at `/`. */
  demoHtml: string;
}
