import { defineKbTriageElement } from "./kb-triage-element.js";

// As for the widget: the server is the one that served this script.
const script = document.currentScript as HTMLScriptElement | null;
defineKbTriageElement(script?.src ? new URL(script.src).origin : location.origin);
