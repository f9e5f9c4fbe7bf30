// API keys live only in SecretStorage, one per endpoint origin, so a key set for one server is
// never sent to another (a redirected or mistyped URL gets no key). The list of origins that
// have a key is kept in global state (origins are not secret) because SecretStorage cannot list.
import type * as vscode from "vscode";

const PREFIX = "ttsReasoner.apiKey:";
const INDEX = "ttsReasoner.apiKeyOrigins";

export class ApiKeys {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
  ) {}

  origins(): string[] {
    return this.state.get<string[]>(INDEX, []);
  }

  async get(origin: string): Promise<string | undefined> {
    return (await this.secrets.get(PREFIX + origin)) || undefined;
  }

  async set(origin: string, key: string): Promise<void> {
    await this.secrets.store(PREFIX + origin, key);
    await this.state.update(INDEX, [...new Set([...this.origins(), origin])].sort());
  }

  async delete(origin: string): Promise<void> {
    await this.secrets.delete(PREFIX + origin);
    await this.state.update(
      INDEX,
      this.origins().filter((o) => o !== origin),
    );
  }

  /** The keys of the given origins, read once, as a synchronous lookup for the settings mapping. */
  async lookup(origins: readonly string[]): Promise<(origin: string) => string | undefined> {
    const found = new Map<string, string>();
    for (const origin of origins) {
      const key = await this.get(origin);
      if (key) found.set(origin, key);
    }
    return (origin) => found.get(origin);
  }

  /** Every key value known, so log lines can be scrubbed of them whatever wrote them. */
  async values(): Promise<string[]> {
    const out: string[] = [];
    for (const origin of this.origins()) {
      const key = await this.get(origin);
      if (key) out.push(key);
    }
    return out;
  }
}
