import { createOpenAI } from "@ai-sdk/openai";
import type { LanguageModel } from "ai";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";

// The model layer: any OpenAI-compatible chat completions server (OpenAI, or OPENAI_BASE_URL for
// Ollama, llama.cpp, vLLM). Chat completions rather than the Responses API, because that is what
// compatible servers speak.

export const MODEL_SETUP_HINT =
  "Set OPENAI_API_KEY for OpenAI, or OPENAI_BASE_URL for an OpenAI-compatible server such as Ollama " +
  "(http://localhost:11434/v1), then restart the app.";

let provider: { key: string; create: ReturnType<typeof createOpenAI> } | undefined;

/** Tests may swap the model (e.g. for the AI SDK's MockLanguageModelV3). */
let override: ((modelId: string) => LanguageModel) | undefined;

export function setModelOverrideForTests(factory: ((modelId: string) => LanguageModel) | undefined): void {
  override = factory;
}

export function chatModelConfigured(): boolean {
  return Boolean(override) || getConfig().chatModelConfigured;
}

export function chatModel(modelId: string): LanguageModel {
  if (override) return override(modelId);
  const config = getConfig();
  if (!config.chatModelConfigured) throw new AppError("unavailable", `No model is configured. ${MODEL_SETUP_HINT}`);
  const key = `${config.OPENAI_BASE_URL ?? ""}|${config.OPENAI_API_KEY ?? ""}`;
  if (provider?.key !== key) {
    provider = {
      key,
      create: createOpenAI({
        baseURL: config.OPENAI_BASE_URL,
        // Local servers need no key, but the client insists on one.
        apiKey: config.OPENAI_API_KEY ?? "not-needed",
      }),
    };
  }
  return provider.create.chat(modelId);
}

/** Where requests go, for the chat page; never includes the key. */
export function modelServerLabel(): string {
  const config = getConfig();
  if (config.OPENAI_BASE_URL) return new URL(config.OPENAI_BASE_URL).host;
  return "api.openai.com";
}
