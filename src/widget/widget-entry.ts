import { defineKbAnswerElement } from "./kb-answer-element.js";

// The server the widget talks to by default is the one that served this script,
// so `<script src="https://kb.example.internal/widget.js">` needs no other setting.
const script = document.currentScript as HTMLScriptElement | null;
defineKbAnswerElement(script?.src ? new URL(script.src).origin : location.origin);
