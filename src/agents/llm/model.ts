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
  LLM_TIMEOUT_MS: number;
  LLM_CACHE_TTL_SECONDS: number;
}

export const defaultAgentSettings: AgentSettings = {
  OPENAI_MODEL: 'gpt-4o-mini',
  AZURE_OPENAI_API_VERSION: '2024-10-21',
  LLM_TIMEOUT_MS: 15_000,
  LLM_CACHE_TTL_SECONDS: 3600,
};

export interface ModelHandle {
  chat: BaseChatModel;
  /** Recorded in `llm_calls` and part of the cache key. */
  name: string;
  embeddings?: { model: Embeddings; name: string } | undefined;
}

/** Builds the configured chat model, or returns undefined when none is configured (offline mode). */
export function createModel(settings: AgentSettings): ModelHandle | undefined {
  // Retries are ours to decide: a failure falls back to the local model at once instead of waiting.
  const common = { temperature: 0, maxRetries: 0, timeout: settings.LLM_TIMEOUT_MS };
  if (settings.AZURE_OPENAI_API_KEY && settings.AZURE_OPENAI_ENDPOINT && settings.AZURE_OPENAI_DEPLOYMENT) {
    const chat = new AzureChatOpenAI({
      ...common,
      azureOpenAIApiKey: settings.AZURE_OPENAI_API_KEY,
      azureOpenAIEndpoint: settings.AZURE_OPENAI_ENDPOINT,
      azureOpenAIApiDeploymentName: settings.AZURE_OPENAI_DEPLOYMENT,
      azureOpenAIApiVersion: settings.AZURE_OPENAI_API_VERSION,
    });
    return { chat, name: `azure:${settings.AZURE_OPENAI_DEPLOYMENT}` };
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
        }),
        name: settings.OPENAI_EMBEDDINGS_MODEL,
      }
    : undefined;
  return { chat, name: settings.OPENAI_MODEL, embeddings };
}
