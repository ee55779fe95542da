import { describe, expect, it } from "vitest";
import { cleanTicketText } from "../../src/text/clean-ticket-text.js";

describe("cleanTicketText", () => {
  it.each([
    [
      "drops the gateway's received-from line and mail headers",
      "received from: jane.doe@larkspur.example\nSubject: vpn\n\nVPN drops every hour.",
      "VPN drops every hour.",
    ],
    [
      "drops a sign-off with its short name block",
      "Cannot log in to SAP since this morning.\n\nKind regards,\nJane Doe\nFinance | +44 20 7946 0000",
      "Cannot log in to SAP since this morning.",
    ],
    [
      "drops a signature after the -- delimiter",
      "Printer on floor 3 jams.\n-- \nBob\nFacilities",
      "Printer on floor 3 jams.",
    ],
    [
      "drops a quoted earlier message",
      "Still broken after the restart.\n\nOn Mon, 3 Mar 2026 at 10:02, Service Desk <desk@example> wrote:\n> Please restart.",
      "Still broken after the restart.",
    ],
    [
      "drops an Outlook original message and quoted lines",
      "Any update?\n> old text\n-----Original Message-----\nFrom: desk",
      "Any update?",
    ],
    [
      "drops a confidentiality footer and a mobile footer",
      "Disk is full on db-3.\n\nSent from my iPhone\n\nThis email is confidential and intended only for the addressee.",
      "Disk is full on db-3.",
    ],
    [
      "keeps a thank-you in the middle of the text",
      "Thanks,\nthe fix from yesterday did not hold: pods crash again with OOMKilled.\nLogs attached below, lines 1-400 of the dump, which is long enough to pass sixty characters.",
      "Thanks,\nthe fix from yesterday did not hold: pods crash again with OOMKilled.\nLogs attached below, lines 1-400 of the dump, which is long enough to pass sixty characters.",
    ],
    [
      "keeps pasted log lines and tidies blank runs and CRLF",
      "Error below:\r\n\r\n\r\n\r\n2026-03-14T14:07:02Z ERROR upstream connect error   \r\n",
      "Error below:\n\n2026-03-14T14:07:02Z ERROR upstream connect error",
    ],
  ])("%s", (_name, text, cleaned) => {
    expect(cleanTicketText(text)).toBe(cleaned);
  });
});
