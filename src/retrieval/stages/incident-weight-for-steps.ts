import type { ScoreStage } from "./score-stage.js";

/** Incident writeups when the question asks for steps and not for history: a writeup tells what was done once. */
export const incidentWeightForSteps: ScoreStage = (candidate, { intents, tuning }) =>
  intents.procedure && !intents.history && candidate.kind === "incident"
    ? tuning.incidentWeightForSteps
    : 1;
