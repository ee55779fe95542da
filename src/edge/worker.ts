import { createEdgeApp } from "./create-edge-app.js";

/** Cloudflare Workers entry (wrangler.toml `main`); Workers want the module's default export. */
export default createEdgeApp();
