// The live search: a tree of steps for beam search and DVTS, a list of whole solutions for
// best-of-N, majority vote and greedy. Rows are built once and updated in place as events arrive,
// so thousands of nodes stay cheap. Each row previews its step on one line with the math typeset
// (step-preview.ts, under one budget per panel); the detail view renders the full path.
import type { PathNode, RunView } from "../src/core/index.js";
import { findStrategy, type SearchLayout } from "../src/core/strategies/index.js";
import { formatScore, scoreBand } from "../src/protocol.js";
import { previewBudget, refund, renderPreview, type PreviewCost } from "./step-preview.js";

/** Auto's run is drawn as the method it chose. */
export function layoutFor(view: RunView): SearchLayout {
  const method = view.decision?.method ?? view.config?.strategy;
  return (method && findStrategy(method)?.layout) || "list";
}

const STATUS_ICON: Record<PathNode["status"], string> = {
  active: "codicon-circle-outline",
  pruned: "codicon-circle-slash",
  finished: "codicon-pass-filled",
  failed: "codicon-error",
};

const STATUS_LABEL: Record<PathNode["status"], string> = {
  active: "active",
  pruned: "pruned",
  finished: "finished",
  failed: "failed",
};

/** Indentation stops growing past this depth so deep searches stay readable in a narrow panel. */
const MAX_INDENT_DEPTH = 12;

interface NodeElements {
  item: HTMLElement;
  row: HTMLElement;
  icon: HTMLElement;
  badge: HTMLElement;
  text: HTMLElement;
  answer: HTMLElement;
  children: HTMLElement | null;
  /** The step text the preview shows and what drawing it cost; redrawn only when the text changes. */
  shown: string | null;
  cost: PreviewCost | null;
}

export class SearchView {
  readonly element: HTMLElement;
  private readonly nodes = new Map<string, NodeElements>();
  private layout: SearchLayout = "list";
  private selected: string | null = null;
  private chosen: string | null = null;
  private ordinal = 0;
  private budget = previewBudget();
  /** Rows drawn as plain text because the preview budget was spent. */
  private readonly plainRows = new Set<string>();
  /** "Show more" for rows past the budget; app.ts places it under the tree. */
  readonly more: HTMLElement;

  constructor(
    private readonly doc: Document,
    private readonly onSelect: (nodeId: string) => void,
  ) {
    this.element = doc.createElement("div");
    this.element.className = "search";
    this.element.setAttribute("role", "tree");
    // The tree takes focus itself until a row is selected (then the row does: roving tabindex).
    this.element.tabIndex = 0;
    this.element.addEventListener("click", (e) => this.clicked(e));
    this.element.addEventListener("keydown", (e) => this.key(e));
    this.more = doc.createElement("vscode-button");
    this.more.dataset.testid = "show-more-math";
    this.more.setAttribute("secondary", "");
    this.more.hidden = true;
    this.more.addEventListener("click", () => this.showMore());
  }

  /** Rebuilds everything from a view (snapshots, layout changes). */
  reset(view: RunView | null): void {
    this.nodes.clear();
    this.element.replaceChildren();
    this.budget = previewBudget();
    this.plainRows.clear();
    this.syncMore();
    this.ordinal = 0;
    this.chosen = null;
    this.layout = view ? layoutFor(view) : "list";
    this.element.dataset.testid = this.layout === "tree" ? "tree" : "candidates";
    this.element.dataset.layout = this.layout;
    this.element.setAttribute("aria-label", this.layout === "tree" ? "Search tree" : "Candidate solutions");
    if (!view) return;
    for (const id of view.order) this.add(view, id);
    this.setChosen(view.result?.chosen?.nodeId ?? null);
  }

  get currentLayout(): SearchLayout {
    return this.layout;
  }

  /** Adds a node that arrived since the last render. */
  add(view: RunView, id: string): void {
    const node = view.nodes[id];
    if (!node || node.parentId === null || this.nodes.has(id)) return;
    const parent = this.nodes.get(node.parentId);
    let container = this.element;
    if (this.layout === "tree" && parent) {
      if (!parent.children) {
        parent.children = this.doc.createElement("div");
        parent.children.className = "children";
        parent.children.setAttribute("role", "group");
        if (node.depth > MAX_INDENT_DEPTH) parent.children.classList.add("no-indent");
        parent.item.appendChild(parent.children);
        parent.item.setAttribute("aria-expanded", "true");
        parent.row.querySelector(".twisty")?.classList.add("codicon", "codicon-chevron-down");
      }
      container = parent.children;
    }
    const els = this.build(node);
    this.nodes.set(id, els);
    container.appendChild(els.item);
    this.update(view, id);
  }

  private build(node: PathNode): NodeElements {
    const d = this.doc;
    const item = d.createElement("div");
    item.className = "node";
    item.setAttribute("role", "treeitem");
    item.dataset.testid = "node";
    item.dataset.nodeId = node.id;
    const row = d.createElement("div");
    row.className = "row";
    row.tabIndex = -1;
    const twisty = d.createElement("span");
    twisty.className = "twisty";
    const icon = d.createElement("span");
    const label = d.createElement("span");
    label.className = "label";
    label.textContent = this.layout === "tree" ? `${node.depth}` : `#${++this.ordinal}`;
    label.title = this.layout === "tree" ? `Step ${node.depth}` : `Candidate ${this.ordinal}`;
    const badge = d.createElement("span");
    badge.className = "score badge";
    const text = d.createElement("span");
    text.className = "step-text";
    const answer = d.createElement("span");
    answer.className = "answer";
    row.append(twisty, icon, label, badge, text, answer);
    item.appendChild(row);
    return { item, row, icon, badge, text, answer, children: null, shown: null, cost: null };
  }

  /** Redraws one node's row from the view (status, score, answer). */
  update(view: RunView, id: string): void {
    const els = this.nodes.get(id);
    const node = view.nodes[id];
    if (!els || !node) return;
    els.item.dataset.status = node.status;
    els.icon.className = `status codicon ${STATUS_ICON[node.status]}`;
    els.icon.title = STATUS_LABEL[node.status];
    if (els.shown !== node.text) this.drawPreview(node.id, els, node.text);
    els.row.title = node.error ? `Failed: ${node.error}` : node.text.slice(0, 2000);
    if (node.score !== undefined) {
      const band = scoreBand(node.score);
      els.badge.textContent = formatScore(node.score);
      els.badge.dataset.band = band;
      els.item.dataset.band = band;
      els.item.dataset.score = String(node.score);
      els.badge.title = `Path score ${node.score.toFixed(4)}${node.stepScores?.length ? ` (step ${node.stepScores.length}: ${node.stepScores[node.stepScores.length - 1]!.toFixed(4)})` : ""}`;
    } else {
      els.badge.textContent = "";
      delete els.badge.dataset.band;
    }
    const answer = view.answers[id];
    els.answer.textContent =
      node.status === "finished" ? `→ ${answer ?? "no answer"}` : node.ended ? "end" : "";
    els.item.setAttribute(
      "aria-label",
      `${STATUS_LABEL[node.status]} step, score ${node.score?.toFixed(2) ?? "pending"}`,
    );
  }

  private drawPreview(id: string, els: NodeElements, text: string): void {
    if (els.cost) refund(this.budget, els.cost);
    els.shown = text;
    if (!text.trim()) {
      els.text.textContent = "(empty step)";
      els.cost = null;
    } else els.cost = renderPreview(els.text, text, this.budget);
    if (els.cost?.plain) this.plainRows.add(id);
    else this.plainRows.delete(id);
    this.syncMore();
  }

  private syncMore(): void {
    this.more.hidden = this.plainRows.size === 0;
    this.more.textContent = `Show math in ${this.plainRows.size} more rows`;
  }

  /** Grants the panel another preview allowance and redraws the rows left as plain text. */
  private showMore(): void {
    const fresh = previewBudget();
    this.budget.left += fresh.left;
    this.budget.chars += fresh.chars;
    for (const id of [...this.plainRows]) {
      const els = this.nodes.get(id);
      if (els?.shown) this.drawPreview(id, els, els.shown);
    }
  }

  setChosen(nodeId: string | null): void {
    if (this.chosen) this.nodes.get(this.chosen)?.item.classList.remove("chosen");
    this.chosen = nodeId;
    if (nodeId) this.nodes.get(nodeId)?.item.classList.add("chosen");
  }

  select(nodeId: string | null): void {
    if (this.selected) {
      const old = this.nodes.get(this.selected);
      old?.row.classList.remove("selected");
      old?.row.setAttribute("aria-selected", "false");
      if (old) old.row.tabIndex = -1;
    }
    this.selected = nodeId;
    const els = nodeId ? this.nodes.get(nodeId) : undefined;
    if (els) {
      els.row.classList.add("selected");
      els.row.setAttribute("aria-selected", "true");
      els.row.tabIndex = 0;
    }
  }

  private nodeIdOf(target: EventTarget | null): string | null {
    const item = (target as HTMLElement | null)?.closest?.(".node") as HTMLElement | null;
    return item?.dataset.nodeId ?? null;
  }

  private clicked(e: MouseEvent): void {
    const target = e.target as HTMLElement;
    const id = this.nodeIdOf(target);
    if (!id) return;
    if (target.classList.contains("twisty")) {
      const els = this.nodes.get(id)!;
      if (els.children) {
        const open = els.item.getAttribute("aria-expanded") !== "false";
        els.item.setAttribute("aria-expanded", String(!open));
        target.classList.toggle("codicon-chevron-down", !open);
        target.classList.toggle("codicon-chevron-right", open);
      }
      return;
    }
    this.onSelect(id);
  }

  private key(e: KeyboardEvent): void {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp" && e.key !== "Enter") return;
    const rows = [...this.element.querySelectorAll<HTMLElement>(".row")].filter(
      (r) => r.offsetParent !== null,
    );
    const at = rows.indexOf(e.target as HTMLElement);
    if (e.key === "Enter") {
      const id = this.nodeIdOf(e.target);
      if (id) this.onSelect(id);
      return;
    }
    const next = at < 0 ? rows[0] : rows[at + (e.key === "ArrowDown" ? 1 : -1)];
    if (next) {
      e.preventDefault();
      const id = this.nodeIdOf(next);
      if (id) this.onSelect(id);
      next.focus();
    }
  }
}
