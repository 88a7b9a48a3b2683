/**
 * Who billed a request, as gateways and consoles spell it → the provider names rate cards use.
 * Unknown names pass through lower-cased, so a reseller's own name still finds its own card.
 */
export const PROVIDER_ALIASES: Readonly<Record<string, string>> = {
  google: 'google', gemini: 'google', 'google ai studio': 'google', 'google-ai-studio': 'google', google_ai_studio: 'google',
  'ai studio': 'google', aistudio: 'google', 'gemini api': 'google', 'gemini-api': 'google', 'google-gemini': 'google', googleaistudio: 'google',
  vertex: 'vertex', vertex_ai: 'vertex', vertexai: 'vertex', 'vertex-ai': 'vertex', 'vertex ai': 'vertex', 'google vertex': 'vertex',
  'google-vertex': 'vertex', google_vertex: 'vertex', 'google vertex ai': 'vertex', vertex_ai_beta: 'vertex', 'vertex_ai-language-models': 'vertex',
  'vertex_ai-image-models': 'vertex', 'vertex_ai-chat-models': 'vertex', googlevertex: 'vertex',
  laozhang: 'laozhang', 'laozhang.ai': 'laozhang', laozhangai: 'laozhang', 'laozhang-ai': 'laozhang',
  openrouter: 'openrouter', 'openrouter.ai': 'openrouter',
  kissapi: 'kissapi', 'kissapi.ai': 'kissapi',
  openai: 'openai', azure: 'azure', 'azure openai': 'azure', azure_openai: 'azure',
};

/** The canonical provider for a logged value, or null for an empty one. */
export function normaliseProvider(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const key = value.trim().toLowerCase();
  if (key === '') return null;
  const known = PROVIDER_ALIASES[key];
  if (known) return known;
  if (key.startsWith('vertex_ai') || key.startsWith('vertex-ai')) return 'vertex';
  return key;
}

/** A provider named by a model prefix (`vertex_ai/…`, `gemini/…`, `openrouter/…`), or null. */
export function providerFromModelPrefix(model: string | null | undefined): string | null {
  if (!model || !model.includes('/')) return null;
  const prefix = model.slice(0, model.indexOf('/')).trim().toLowerCase();
  if (prefix === 'models' || prefix === 'google') return null;
  const p = PROVIDER_ALIASES[prefix] ?? (prefix.startsWith('vertex_ai') ? 'vertex' : null);
  return p;
}
