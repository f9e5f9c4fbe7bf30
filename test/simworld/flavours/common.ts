// Pieces the flavours share: /v1/models entries and body helpers.
import { MODELS, type SimModel } from "../models.js";
import { badRequest } from "../errors.js";

export const CREATED = 1767225000;

export function modelList(entry: (m: SimModel) => Record<string, unknown>): {
  object: "list";
  data: Record<string, unknown>[];
} {
  return { object: "list", data: MODELS.map(entry) };
}

export function bodyObject(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw badRequest("The request body must be a JSON object.");
  return body as Record<string, unknown>;
}
