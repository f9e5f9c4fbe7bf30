// From endpoint configurations to live endpoints: the one way both products connect.
import type { Policy, Verifier } from "../core/index.js";
import {
  createPolicy,
  createVerifier,
  type EndpointDeps,
  type PolicyEndpointConfig,
  type VerifierEndpointConfig,
} from "../endpoints/index.js";

export interface EndpointConfigs {
  policy: PolicyEndpointConfig;
  /** Null: no verifier; only strategies that need none can run. */
  verifier: VerifierEndpointConfig | null;
}

export interface Endpoints {
  policy: Policy;
  verifier: Verifier | null;
}

/** Connects to the policy and (unless there is none) the verifier; endpoint errors name their URL. */
/** The configurations with the policy asking for whole responses (nobody watches its tokens). */
export function unstreamed<C extends EndpointConfigs>(configs: C): C {
  return { ...configs, policy: { ...configs.policy, stream: false } };
}

export async function connect(configs: EndpointConfigs, deps: EndpointDeps = {}): Promise<Endpoints> {
  const [policy, verifier] = await Promise.all([
    createPolicy(configs.policy, deps),
    configs.verifier ? createVerifier(configs.verifier, deps) : Promise.resolve(null),
  ]);
  return { policy, verifier };
}
