// The run form: strategy picker (from the strategy registry), budget, beam width, temperature,
// max steps, Solve and Stop. Which fields apply follows the chosen strategy's descriptor.
import { findStrategy, strategies } from "../src/core/strategies/index.js";
import { checkOptions, OPTION_LIMITS, type PanelOptions, type ProblemKindChoice } from "../src/protocol.js";
import type { Dom, FormButton, FormField } from "./dom.js";

/** "A, B and C". */
const listLabels = (items: readonly { label: string }[]): string =>
  items
    .map((i) => i.label)
    .join(", ")
    .replace(/, ([^,]*)$/, " and $1");

export class FormView {
  readonly element: HTMLElement;
  readonly solve: FormButton;
  readonly stop: FormButton;
  private readonly strategy: FormField;
  private readonly strategyOptions: (HTMLElement & { value: string })[];
  private readonly n: FormField;
  private readonly beamWidth: FormField;
  private readonly temperature: FormField;
  private readonly maxSteps: FormField;
  private readonly kind: FormField;
  private readonly formError: HTMLElement;
  private readonly verifierNote: HTMLElement;

  constructor(dom: Dom, on: { solve(): void; stop(): void }, progress: HTMLElement) {
    const el = dom.el.bind(dom);
    this.strategy = el("vscode-single-select", { testid: "strategy" }) as FormField;
    this.strategy.setAttribute("aria-label", "Strategy");
    this.strategy.id = "field-strategy";
    this.strategyOptions = strategies().map(({ id, label, description }) => {
      const o = el("vscode-option", { text: label }) as HTMLElement & { value: string };
      o.setAttribute("value", id);
      o.setAttribute("description", description);
      o.value = id;
      this.strategy.appendChild(o);
      return o;
    });
    this.strategy.addEventListener("change", () => this.sync());
    this.n = dom.numberField("Budget n", "n", OPTION_LIMITS.n, 1);
    this.beamWidth = dom.numberField("Beam width", "beam-width", OPTION_LIMITS.beamWidth, 1);
    this.temperature = dom.numberField("Temperature", "temperature", OPTION_LIMITS.temperature, 0.1);
    this.maxSteps = dom.numberField("Max steps", "max-steps", OPTION_LIMITS.maxSteps, 1);
    this.kind = el("vscode-single-select", { testid: "kind" }) as FormField;
    this.kind.setAttribute("aria-label", "Problem kind");
    this.kind.id = "field-kind";
    for (const [value, label] of [
      ["auto", "Auto"],
      ["math", "Math"],
      ["code", "Code"],
    ] as const) {
      const o = el("vscode-option", { text: label }) as HTMLElement & { value: string };
      o.setAttribute("value", value);
      o.value = value;
      this.kind.appendChild(o);
    }
    const labelled = (text: string, field: HTMLElement): HTMLElement => {
      const label = el("vscode-label", { text });
      label.setAttribute("for", field.id);
      return el("div", { className: "field" }, label, field);
    };
    this.solve = dom.button("Solve", "play", "solve", on.solve, false);
    this.stop = dom.button("Stop", "debug-stop", "stop", on.stop);
    this.formError = el("p", { className: "form-error", testid: "form-error" });
    this.formError.hidden = true;
    this.verifierNote = el("p", {
      className: "muted",
      text: `No verifier is configured: ${listLabels(strategies().filter((s) => s.needsVerifier))} need one (setting ttsReasoner.verifier.kind).`,
    });
    this.element = el(
      "section",
      { className: "form" },
      el(
        "div",
        { className: "fields" },
        labelled("Strategy", this.strategy),
        labelled("Budget n", this.n),
        labelled("Beam width", this.beamWidth),
        labelled("Temperature", this.temperature),
        labelled("Max steps", this.maxSteps),
        labelled("Problem", this.kind),
      ),
      el("div", { className: "buttons" }, this.solve, this.stop),
      this.formError,
      this.verifierNote,
      progress,
    );
  }

  options(): PanelOptions {
    return {
      strategy: this.strategy.value,
      n: Number(this.n.value),
      beamWidth: Number(this.beamWidth.value),
      temperature: Number(this.temperature.value),
      maxSteps: Number(this.maxSteps.value),
      kind: (this.kind.value || "auto") as ProblemKindChoice,
    };
  }

  set(o: PanelOptions): void {
    this.strategy.value = o.strategy;
    this.n.value = String(o.n);
    this.beamWidth.value = String(o.beamWidth);
    this.temperature.value = String(o.temperature);
    this.maxSteps.value = String(o.maxSteps);
    this.kind.value = o.kind ?? "auto";
    this.sync();
  }

  /** Strategies that need a verifier are offered only with one. */
  setVerifier(hasVerifier: boolean): void {
    for (const opt of this.strategyOptions) {
      const needs = findStrategy(opt.value)?.needsVerifier ?? false;
      opt.toggleAttribute("disabled", needs && !hasVerifier);
    }
    this.verifierNote.hidden = hasVerifier;
    this.sync();
  }

  /** Greedy takes no budget; only tree searches (and Auto, for them) use a beam width. */
  sync(): void {
    const s = findStrategy(this.strategy.value);
    this.n.disabled = !(s?.usesBudget ?? true);
    this.beamWidth.disabled = !(s?.usesBeamWidth ?? false);
    this.temperature.disabled = !(s?.usesBudget ?? true);
  }

  /** Shows what stops a run of these options (and the problem's own error); true when none. */
  check(options: PanelOptions, problemError: string | null): boolean {
    const problems = [
      problemError,
      checkOptions(options),
      findStrategy(options.strategy)?.layout === "tree" && options.n % options.beamWidth !== 0
        ? `n (${options.n}) must be a multiple of the beam width (${options.beamWidth}).`
        : null,
    ].filter((p): p is string => p !== null);
    this.formError.textContent = problems.join(" ");
    this.formError.hidden = !problems.length;
    return !problems.length;
  }
}
