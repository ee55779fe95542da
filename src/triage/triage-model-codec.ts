import { z } from "zod";
import { TRIAGE_MODEL_VERSION, type TriageModel, triageFields } from "./triage-model.js";

/**
 * The trained model as stored with the index: JSON, weights as base64
 * little-endian float32. A server that only reads (even from an object store)
 * decodes it rather than training.
 */
export function encodeTriageModel(model: TriageModel): string {
  return JSON.stringify(model, (_key, value) =>
    value instanceof Float32Array
      ? { f32: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64") }
      : value,
  );
}

const floats = z.object({ f32: z.string() }).transform(({ f32 }) => {
  const bytes = Buffer.from(f32, "base64");
  // Copied so that the array is aligned and owns its memory.
  return new Float32Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  );
});

const softmax = z
  .object({
    classes: z.number().int().min(2),
    features: z.number().int().min(0),
    weights: floats,
    bias: floats,
  })
  .refine(
    (model) =>
      model.weights.length === model.classes * model.features &&
      model.bias.length === model.classes,
    {
      message: "weights do not match classes × features",
    },
  );

const termSpace = z
  .object({ terms: z.array(z.string()), idf: floats })
  .refine((space) => space.idf.length === space.terms.length, {
    message: "idf does not match terms",
  });

const calibration = z
  .object({ upTo: z.array(z.number()), accuracy: z.array(z.number()) })
  .refine((value) => value.upTo.length === value.accuracy.length && value.upTo.length > 0)
  .nullable();

const fieldModel = z.object({
  labels: z.array(z.string()).min(2),
  counts: z.array(z.number().int()),
  terms: softmax,
  words: softmax,
  calibration,
});

const storedModel = z.object({
  version: z.literal(TRIAGE_MODEL_VERSION),
  trainedOn: z.number().int().min(0),
  views: z.object({ terms: termSpace, words: termSpace }),
  fields: z.partialRecord(z.enum(triageFields), fieldModel),
});

/** The stored model, or null when it was written by another version (retrain) or is damaged. */
export function decodeTriageModel(text: string): TriageModel | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = storedModel.safeParse(data);
  return parsed.success ? parsed.data : null;
}
