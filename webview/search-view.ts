// The live search: a tree of steps for beam search and DVTS, a list of whole solutions for
// best-of-N, majority vote and greedy. Rows are built once and updated in place as events arrive,
// so thousands of nodes stay cheap. Each row previews its step on one line with the math typeset
// (step-preview.ts, under one budget per panel); the detail view renders the full path.
import type { PathNode, RunView } from "../src/core/index.js";
import { findStrategy, type SearchLayout } from "../src/core/strategies/index.js";
import { formatScore, scoreBand } from "../src/protocol.js";
import { previewBudget, refund, renderPreview, type PreviewCost } from "./step-preview.js";
import { isExpanded, parentItem, TreeNav, treeKey } from "./tree-nav.js";

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

/**
 * Rows are drawn in the order their nodes arrived, at most ROWS_PER_FRAME and FRAME_MS of work a
 * frame (at least one row): a snapshot of thousands of rows, or a burst of events, shows its first
 * rows at once and the rest over the next frames, so the panel never stalls for long.
 */
export const ROWS_PER_FRAME = 150;
export const FRAME_MS = 6;

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
  /** "Step 3" in a tree, "Candidate 2" in a list. */
  name: string;
  /** What a screen reader says for the row, less "chosen" (setChosen adds it). */
  announce: string;
  /** The step text the preview shows and what drawing it cost; redrawn only when the text changes. */
  shown: string | null;
  cost: PreviewCost | null;
}

export class SearchView {
  readonly element: HTMLElement;
  private readonly nodes = new Map<string, NodeElements>();
  private layout: SearchLayout = "list";
  private selected: string | null = null;
  /** The one row in the tab order (roving tabindex): the selected row, else the last focused. */
  private active: string | null = null;
  private chosen: string | null = null;
  private readonly nav: TreeNav;
  private ordinal = 0;
  private budget = previewBudget();
  /** Rows drawn as plain text because the preview budget was spent. */
  private readonly plainRows = new Set<string>();
  /** "Show more" for rows past the budget; app.ts places it under the tree. */
  readonly more: HTMLElement;
  /** The view whose rows are drawn, and the next of its nodes (view.order) to draw. */
  private cursor: { view: RunView; next: number } | null = null;
  private drainScheduled = false;

  constructor(
    private readonly doc: Document,
    private readonly onSelect: (nodeId: string) => void,
    /** Runs a function at the next frame (the default: at once, drawing every row now). */
    private readonly nextFrame: (fn: () => void) => void = (fn) => fn(),
  ) {
    this.element = doc.createElement("div");
    this.element.className = "search";
    this.element.setAttribute("role", "tree");
    this.nav = new TreeNav(
      this.element,
      (item) => item.dataset.status === "pruned" && this.element.classList.contains("hide-pruned"),
    );
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
    this.active = null;
    this.layout = view ? layoutFor(view) : "list";
    this.element.dataset.testid = this.layout === "tree" ? "tree" : "candidates";
    this.element.dataset.layout = this.layout;
    this.element.setAttribute("aria-label", this.layout === "tree" ? "Search tree" : "Candidate solutions");
    this.cursor = view ? { view, next: 0 } : null;
    if (!view) return;
    this.drain();
    this.setChosen(view.result?.chosen?.nodeId ?? null);
  }

  /** Draws the rows of nodes that arrived since, as much as a frame allows; asks for a frame for the rest. */
  private drain(): void {
    const c = this.cursor;
    if (!c || this.drainScheduled) return;
    const start = performance.now();
    let drawn = 0;
    while (c.next < c.view.order.length) {
      if (drawn >= ROWS_PER_FRAME || (drawn > 0 && performance.now() - start > FRAME_MS)) break;
      if (this.drawRow(c.view, c.view.order[c.next]!)) drawn++;
      c.next++;
    }
    // Busy while rows are still to come: screen readers wait, and so do the e2e page objects.
    const done = c.next >= c.view.order.length;
    if (done) this.element.removeAttribute("aria-busy");
    else this.element.setAttribute("aria-busy", "true");
    if (done) return;
    this.drainScheduled = true;
    this.nextFrame(() => {
      this.drainScheduled = false;
      // the view's cursor, which a rebuild meanwhile may have replaced
      this.drain();
    });
  }

  get currentLayout(): SearchLayout {
    return this.layout;
  }

  /** Draws the rows of nodes that arrived since the last render (`id`'s among them), in order. */
  add(view: RunView, id: string): void {
    if (this.cursor?.view !== view) this.cursor = { view, next: Math.max(0, view.order.indexOf(id)) };
    this.drain();
  }

  /** Draws one node's row; false for the root, which has none. */
  private drawRow(view: RunView, id: string): boolean {
    const node = view.nodes[id];
    if (!node || node.parentId === null || this.nodes.has(id)) return false;
    const parent = this.nodes.get(node.parentId);
    let container = this.element;
    if (this.layout === "tree" && parent) {
      if (!parent.children) {
        parent.children = this.doc.createElement("div");
        parent.children.className = "children";
        parent.children.setAttribute("role", "group");
        if (node.depth > MAX_INDENT_DEPTH) parent.children.classList.add("no-indent");
        parent.item.appendChild(parent.children);
        this.setExpanded(parent, true);
      }
      container = parent.children;
    }
    const els = this.build(node);
    this.nodes.set(id, els);
    container.appendChild(els.item);
    if (this.active === null) this.activate(id);
    // Selected or chosen before its row was drawn.
    if (id === this.selected) this.select(id);
    if (id === this.chosen) els.item.classList.add("chosen");
    this.update(view, id);
    return true;
  }

  private build(node: PathNode): NodeElements {
    const d = this.doc;
    const item = d.createElement("div");
    item.className = "node";
    item.setAttribute("role", "treeitem");
    item.setAttribute("aria-level", String(this.layout === "tree" ? node.depth : 1));
    item.setAttribute("aria-selected", "false");
    item.tabIndex = -1;
    item.dataset.testid = "node";
    item.dataset.nodeId = node.id;
    const row = d.createElement("div");
    row.className = "row";
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
    return {
      item,
      row,
      icon,
      badge,
      text,
      answer,
      children: null,
      name: label.title,
      announce: "",
      shown: null,
      cost: null,
    };
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
    els.announce = [
      els.name,
      STATUS_LABEL[node.status],
      node.score !== undefined ? `score ${formatScore(node.score)}` : "not scored yet",
      ...(node.status === "finished" ? [`answer ${answer ?? "none"}`] : []),
    ].join(", ");
    this.label(id, els);
  }

  private label(id: string, els: NodeElements): void {
    els.item.setAttribute("aria-label", id === this.chosen ? `${els.announce}, chosen` : els.announce);
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
    if (nodeId === this.chosen) return;
    const old = this.chosen ? this.nodes.get(this.chosen) : undefined;
    this.chosen = nodeId;
    if (old) {
      old.item.classList.remove("chosen");
      this.label("", old);
    }
    const els = nodeId ? this.nodes.get(nodeId) : undefined;
    if (els) {
      els.item.classList.add("chosen");
      this.label(nodeId!, els);
    }
  }

  select(nodeId: string | null): void {
    if (this.selected) {
      const old = this.nodes.get(this.selected);
      old?.row.classList.remove("selected");
      old?.item.setAttribute("aria-selected", "false");
    }
    this.selected = nodeId;
    const els = nodeId ? this.nodes.get(nodeId) : undefined;
    if (els) {
      els.row.classList.add("selected");
      els.item.setAttribute("aria-selected", "true");
      this.activate(nodeId!);
    }
  }

  /** Puts one row in the tab order (and takes the previous one out). */
  private activate(nodeId: string): void {
    if (this.active === nodeId) return;
    const old = this.active ? this.nodes.get(this.active) : undefined;
    if (old) old.item.tabIndex = -1;
    const els = this.nodes.get(nodeId);
    if (!els) return;
    els.item.tabIndex = 0;
    this.active = nodeId;
  }

  private setExpanded(els: NodeElements, open: boolean): void {
    els.item.setAttribute("aria-expanded", String(open));
    const twisty = els.row.querySelector(".twisty");
    twisty?.classList.add("codicon");
    twisty?.classList.toggle("codicon-chevron-down", open);
    twisty?.classList.toggle("codicon-chevron-right", !open);
  }

  private nodeIdOf(target: EventTarget | null): string | null {
    const item = (target as HTMLElement | null)?.closest?.(".node") as HTMLElement | null;
    return item?.dataset.nodeId ?? null;
  }

  private clicked(e: MouseEvent): void {
    const target = e.target as HTMLElement;
    const id = this.nodeIdOf(target);
    if (!id) return;
    const els = this.nodes.get(id)!;
    this.activate(id);
    if (target.classList.contains("twisty")) {
      if (els.children) this.setExpanded(els, !isExpanded(els.item));
      return;
    }
    this.onSelect(id);
  }

  private key(e: KeyboardEvent): void {
    const key = treeKey(e);
    const item = (e.target as HTMLElement).closest?.(".node") as HTMLElement | null;
    const els = item ? this.nodes.get(item.dataset.nodeId ?? "") : undefined;
    if (!key || !item || !els) return;
    e.preventDefault();
    let to: HTMLElement | null = null;
    switch (key) {
      case "next":
        to = this.nav.next(item);
        break;
      case "previous":
        to = this.nav.previous(item);
        break;
      case "first":
        to = this.nav.first();
        break;
      case "last":
        to = this.nav.last();
        break;
      case "expand":
        if (els.children && !isExpanded(item)) this.setExpanded(els, true);
        else to = this.nav.firstChild(item);
        break;
      case "collapse":
        if (els.children && isExpanded(item)) this.setExpanded(els, false);
        else to = parentItem(item);
        break;
      case "act":
        this.onSelect(item.dataset.nodeId!);
        break;
    }
    if (to?.dataset.nodeId) {
      this.activate(to.dataset.nodeId);
      to.focus();
    }
  }
}
