/**
 * The JSON schema a model is sent: compact and inside what OpenAI's and Azure's strict structured
 * outputs accept. zod keeps the full rules (lengths, ranges) and validates every answer afterwards.
 */
import { z } from 'zod';

// Keywords strict mode rejects (Azure's list is the longer one) or that only cost tokens.
const DROPPED = new Set([
  '$schema',
  '$id',
  'title',
  'default',
  'examples',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
]);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A strict-mode schema for `schema`: every property required, no additional properties, no
 * unsupported keywords, no `$schema` or titles. `descriptions: false` drops the field descriptions
 * too, for schemas whose fields the prompt already explains.
 */
export function strictJsonSchema(
  schema: z.ZodType,
  opts: { descriptions?: boolean } = {},
): Record<string, Json> {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any' }) as Json;
  return clean(json, opts.descriptions ?? true) as Record<string, Json>;
}

function clean(node: Json, descriptions: boolean): Json {
  if (Array.isArray(node)) return node.map((item) => clean(item, descriptions));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED.has(key) || (key === 'description' && !descriptions)) continue;
    if (key === 'properties' && value && typeof value === 'object' && !Array.isArray(value)) {
      // Property names are data, not keywords: a field called "title" stays.
      out[key] = Object.fromEntries(Object.entries(value).map(([name, v]) => [name, clean(v, descriptions)]));
    } else out[key] = clean(value, descriptions);
  }
  // `anyOf: [{type: string}, {type: null}]` (a nullable field) says the same as `type: [string, null]`, shorter.
  const anyOf = out.anyOf;
  if (Array.isArray(anyOf) && anyOf.every(isBareType)) {
    delete out.anyOf;
    out.type = anyOf.map((t) => (t as { type: string }).type);
  }
  if (out.type === 'object' && out.properties && typeof out.properties === 'object') {
    out.required = Object.keys(out.properties);
    out.additionalProperties = false;
  }
  return out;
}

function isBareType(node: Json): boolean {
  return (
    node !== null &&
    typeof node === 'object' &&
    !Array.isArray(node) &&
    typeof node.type === 'string' &&
    Object.keys(node).length === 1
  );
}
