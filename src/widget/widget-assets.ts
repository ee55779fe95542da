/** What the server serves at `/widget.js` and `/`: written to dist/public by `npm run build`. */
export interface WidgetAssets {
  /** The `<kb-answer>` custom element as one classic script, minified. */
  widgetJs: string;
  /** The demo page served at `/`. */
  demoHtml: string;
}
