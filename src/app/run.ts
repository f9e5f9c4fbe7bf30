// One run as every front end starts it: the settings resolved into a plan (endpoint
// configurations and what the search takes from the settings), and the one place a plan, live
// endpoints and a problem become the core's RunOptions.
import type {
  AnswerKey,
  CalibratedTable,
  Problem,
  RunOptions,
  SearchConfig,
  SearchEvent,
} from "../core/index.js";
import type { EndpointConfigs, Endpoints } from "./connect.js";
import {
  parameterCounts,
  policyEndpointFrom,
  searchConfigFrom,
  verifierEndpointFrom,
  type ApiKeyLookup,
  type Settings,
} from "./settings/index.js";
import { loadStrategyTable } from "./strategy-table.js";

/** What a search takes from the settings besides its endpoints. */
export interface RunSetup {
  search: Partial<SearchConfig>;
  policyConcurrency?: number;
  verifierConcurrency?: number;
  /** Parameter counts for FLOPs; null: read from the model names. */
  policyParams?: number | null;
  verifierParams?: number | null;
  /** Auto's calibrated table, when the search.strategyTable setting names one. */
  strategyTable?: CalibratedTable | null;
}

/** The settings as one run uses them: where requests go, and what the search takes. */
export interface RunPlan extends RunSetup, EndpointConfigs {}

export interface PlanInputs {
  /** Each role's API key by origin; absent: no key. */
  keys?: { policy?: ApiKeyLookup; verifier?: ApiKeyLookup };
  /**
   * Whether the verifier settings apply. The extension passes true: its settings UI shows the
   * verifier kind (default `vllm-pooling`) and the panel says when none is set. The CLI passes
   * true only when a verifier setting was given (flag, environment or file): a `solve` pointed
   * at a policy alone must not send scoring requests to a PRM nobody started.
   */
  useVerifier: boolean;
  /** Where a relative strategy-table path starts (strategy-table.ts). */
  tableBase?: string;
}

export function runPlan(s: Settings, inputs: PlanInputs): RunPlan {
  const policy = policyEndpointFrom(s, inputs.keys?.policy);
  const verifier = inputs.useVerifier ? verifierEndpointFrom(s, inputs.keys?.verifier) : null;
  return {
    policy,
    verifier,
    search: searchConfigFrom(s),
    // 0: from the server (the policy's slots), else the core's default.
    ...(policy.concurrency ? { policyConcurrency: policy.concurrency } : {}),
    ...(verifier ? { verifierConcurrency: verifier.concurrency } : {}),
    ...parameterCounts(s),
    strategyTable: loadStrategyTable(s.search.strategyTable, inputs.tableBase),
  };
}

/** What one search adds to the setup and the endpoints. */
export interface SearchRequest {
  problem: Problem;
  /** Per-run overrides of the setup's search knobs (the panel's form, a bench cell). */
  config?: Partial<SearchConfig>;
  answerKey?: AnswerKey;
  signal?: AbortSignal;
  onEvent?: (event: SearchEvent) => void;
  now?: () => number;
}

/** The core's RunOptions, built here and nowhere else. */
export function searchOptions(setup: RunSetup, endpoints: Endpoints, request: SearchRequest): RunOptions {
  return {
    problem: request.problem,
    policy: endpoints.policy,
    verifier: endpoints.verifier,
    config: { ...setup.search, ...request.config },
    answerKey: request.answerKey,
    signal: request.signal,
    onEvent: request.onEvent,
    now: request.now,
    policyConcurrency: setup.policyConcurrency,
    verifierConcurrency: setup.verifierConcurrency,
    policyParams: setup.policyParams,
    verifierParams: setup.verifierParams,
    strategyTable: setup.strategyTable,
  };
}
