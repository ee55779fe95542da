/**
 * Response headers of the widget and the demo page: sent by the Node app, and
 * written by `npm run build:widget` to the edge's `_headers` file, so both
 * serve them alike.
 */
export const assetHeaders = {
  /** Portals load the script on every page view: let browsers revalidate cheaply. */
  widgetCacheControl: "public, max-age=300",
  /** The page runs nothing but our own script; framing and inline scripts are refused. */
  demoPageContentSecurityPolicy:
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
} as const;
