/** Which chat model the agents use, if any: OpenAI, any OpenAI-compatible server, or Azure OpenAI. */

import type { Embeddings } from '@langchain/core/embeddings';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AzureChatOpenAI, ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';

/** The agent settings, as `src/app/config.ts` parses them from the environment. */
export interface AgentSettings {
  OPENAI_API_KEY?: string | undefined;
  OPENAI_MODEL: string;
  OPENAI_BASE_URL?: string | undefined;
  OPENAI_EMBEDDINGS_MODEL?: string | undefined;
  AZURE_OPENAI_API_KEY?: string | undefined;
  AZURE_OPENAI_ENDPOINT?: string | undefined;
  AZURE_OPENAI_DEPLOYMENT?: string | undefined;
  AZURE_OPENAI_API_VERSION: string;
  /** One message's budget for all of its model calls together. */
  LLM_TIMEOUT_MS: number;
  LLM_CACHE_TTL_SECONDS: number;
  /** Consecutive failures that open the provider's circuit breaker. */
  LLM_BREAKER_FAILURES?: number | undefined;
  /** How long an open breaker stops calling (a longer Retry-After wins). */
  LLM_BREAKER_COOLDOWN_MS?: number | undefined;
  /** The longest answer asked of the model (`max_tokens`). */
  LLM_MAX_TOKENS?: number | undefined;
}

export const defaultAgentSettings = {
  OPENAI_MODEL: 'gpt-4o-mini',
  AZURE_OPENAI_API_VERSION: '2024-10-21',
  LLM_TIMEOUT_MS: 15_000,
  LLM_CACHE_TTL_SECONDS: 3600,
  LLM_BREAKER_FAILURES: 3,
  LLM_BREAKER_COOLDOWN_MS: 30_000,
  LLM_MAX_TOKENS: 1024,
} satisfies AgentSettings;

/**
 * How a model is asked for structured output: `jsonSchema` (response_format json_schema, strict),
 * `functionCalling` (one forced tool call) or `jsonMode` (response_format json_object, the schema
 * in the prompt, validated with zod afterwards).
 */
export type StructuredMethod = 'jsonSchema' | 'functionCalling' | 'jsonMode';

export interface ModelHandle {
  chat: BaseChatModel;
  /** Recorded in `llm_calls` and part of the cache key. */
  name: string;
  /** What this model supports best; see `structuredMethodFor`. */
  method: StructuredMethod;
  /** One circuit breaker per provider endpoint (and deployment). */
  provider: string;
  embeddings?: { model: Embeddings; name: string } | undefined;
}

// OpenAI models that predate structured outputs (json_schema) but call functions.
const FUNCTION_CALLING_ONLY =
  /^(?:gpt-4(?:-\d{4})?(?:-32k.*)?$|gpt-4-turbo|gpt-4-\d{4}-preview|gpt-4-vision|gpt-3\.5-|gpt-35-)/i;
// Models known to accept response_format json_schema.
const JSON_SCHEMA = /^(?:gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1(?!-preview|-mini)|o3|o4)/i;

/**
 * The structured-output method a model supports, from its name: json_schema where OpenAI documents
 * it, function calling for the older OpenAI (and Azure) models, JSON mode for anything else (Ollama,
 * vLLM and other servers whose support is unknown; the answer is validated with zod either way).
 */
export function structuredMethodFor(model: string, unknown: StructuredMethod = 'jsonMode'): StructuredMethod {
  if (FUNCTION_CALLING_ONLY.test(model)) return 'functionCalling';
  if (JSON_SCHEMA.test(model)) return 'jsonSchema';
  return unknown;
}

/** Builds the configured chat model, or returns undefined when none is configured (offline mode). */
export function createModel(settings: AgentSettings): ModelHandle | undefined {
  // Retries are ours to decide: a failure falls back to the local model at once instead of waiting.
  // The timeout is the message's whole budget; each call is also cut off at what is left of it.
  const common = {
    temperature: 0,
    maxRetries: 0,
    timeout: settings.LLM_TIMEOUT_MS,
    maxTokens: settings.LLM_MAX_TOKENS ?? defaultAgentSettings.LLM_MAX_TOKENS,
  };
  if (settings.AZURE_OPENAI_API_KEY && settings.AZURE_OPENAI_ENDPOINT && settings.AZURE_OPENAI_DEPLOYMENT) {
    const deployment = settings.AZURE_OPENAI_DEPLOYMENT;
    const chat = new AzureChatOpenAI({
      ...common,
      // Without a model name LangChain assumes gpt-3.5-turbo and refuses json_schema before any request.
      model: deployment,
      azureOpenAIApiKey: settings.AZURE_OPENAI_API_KEY,
      azureOpenAIEndpoint: settings.AZURE_OPENAI_ENDPOINT,
      azureOpenAIApiDeploymentName: deployment,
      azureOpenAIApiVersion: settings.AZURE_OPENAI_API_VERSION,
    });
    return {
      chat,
      name: `azure:${deployment}`,
      // Every model Azure OpenAI serves calls functions; a deployment's name need not be the model's.
      method: structuredMethodFor(deployment, 'functionCalling'),
      provider: `azure ${settings.AZURE_OPENAI_ENDPOINT} ${deployment}`,
    };
  }
  if (!settings.OPENAI_API_KEY && !settings.OPENAI_BASE_URL) return undefined;
  // Local OpenAI-compatible servers (Ollama, vLLM) accept any key; the SDK insists on one.
  const apiKey = settings.OPENAI_API_KEY ?? 'not-needed';
  const configuration = settings.OPENAI_BASE_URL ? { baseURL: settings.OPENAI_BASE_URL } : {};
  const chat = new ChatOpenAI({
    ...common,
    model: settings.OPENAI_MODEL,
    apiKey,
    configuration,
    useResponsesApi: false,
  });
  const embeddings = settings.OPENAI_EMBEDDINGS_MODEL
    ? {
        model: new OpenAIEmbeddings({
          model: settings.OPENAI_EMBEDDINGS_MODEL,
          apiKey,
          configuration,
          maxRetries: 0,
          timeout: settings.LLM_TIMEOUT_MS,
          // Floats, not base64: servers that ignore the format send floats the SDK would decode as bytes.
          encodingFormat: 'float',
        }),
        name: settings.OPENAI_EMBEDDINGS_MODEL,
      }
    : undefined;
  return {
    chat,
    name: settings.OPENAI_MODEL,
    // api.openai.com serves OpenAI's models only, where an unknown name is a newer one.
    method: structuredMethodFor(settings.OPENAI_MODEL, settings.OPENAI_BASE_URL ? 'jsonMode' : 'jsonSchema'),
    provider: `openai ${settings.OPENAI_BASE_URL ?? 'api.openai.com'}`,
    embeddings,
  };
}
