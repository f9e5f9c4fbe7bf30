// Moving through the search tree by keyboard, following the WAI-ARIA tree pattern: the rows are
// `role=treeitem` elements (`.node`), children sit in a `role=group` (`.children`), and a row is
// shown unless an ancestor is collapsed or it is pruned while pruned rows are hidden. Walking the
// structure costs a few steps per key, however many thousand rows the tree holds.

/** The keys the tree answers, and what each does. */
export type TreeKey = "next" | "previous" | "first" | "last" | "expand" | "collapse" | "act";

const KEYS: Record<string, TreeKey> = {
  ArrowDown: "next",
  ArrowUp: "previous",
  Home: "first",
  End: "last",
  ArrowRight: "expand",
  ArrowLeft: "collapse",
  Enter: "act",
  " ": "act",
};

export function treeKey(e: KeyboardEvent): TreeKey | null {
  if (e.altKey || e.ctrlKey || e.metaKey) return null;
  return KEYS[e.key] ?? null;
}

const isItem = (el: Element | null): el is HTMLElement => !!el && el.classList.contains("node");

export function isExpanded(item: HTMLElement): boolean {
  return item.getAttribute("aria-expanded") === "true";
}

function groupOf(item: HTMLElement): HTMLElement | null {
  const last = item.lastElementChild;
  return last?.classList.contains("children") ? (last as HTMLElement) : null;
}

/** The row's parent row, or null at the top level. */
export function parentItem(item: HTMLElement): HTMLElement | null {
  const p = item.parentElement?.closest(".node");
  return isItem(p ?? null) ? (p as HTMLElement) : null;
}

export class TreeNav {
  constructor(
    private readonly tree: HTMLElement,
    /** Whether a row is hidden by a filter (pruned rows under "Hide pruned"). */
    private readonly filtered: (item: HTMLElement) => boolean,
  ) {}

  private shown(el: Element | null): el is HTMLElement {
    return isItem(el) && !this.filtered(el);
  }

  private firstShown(from: Element | null, step: "next" | "previous"): HTMLElement | null {
    let el = from;
    while (el && !this.shown(el)) el = step === "next" ? el.nextElementSibling : el.previousElementSibling;
    return el as HTMLElement | null;
  }

  private shownChildren(item: HTMLElement): { first: HTMLElement | null; last: HTMLElement | null } {
    const group = isExpanded(item) ? groupOf(item) : null;
    if (!group) return { first: null, last: null };
    return {
      first: this.firstShown(group.firstElementChild, "next"),
      last: this.firstShown(group.lastElementChild, "previous"),
    };
  }

  /** The deepest last shown row under `item` (or `item`): where Up lands from below it. */
  private lastDescendant(item: HTMLElement): HTMLElement {
    let at = item;
    for (let child = this.shownChildren(at).last; child; child = this.shownChildren(at).last) at = child;
    return at;
  }

  first(): HTMLElement | null {
    return this.firstShown(this.tree.firstElementChild, "next");
  }

  last(): HTMLElement | null {
    const top = this.firstShown(this.tree.lastElementChild, "previous");
    return top ? this.lastDescendant(top) : null;
  }

  next(item: HTMLElement): HTMLElement | null {
    const child = this.shownChildren(item).first;
    if (child) return child;
    for (let at: HTMLElement | null = item; at; at = parentItem(at)) {
      const sibling = this.firstShown(at.nextElementSibling, "next");
      if (sibling) return sibling;
    }
    return null;
  }

  previous(item: HTMLElement): HTMLElement | null {
    const sibling = this.firstShown(item.previousElementSibling, "previous");
    return sibling ? this.lastDescendant(sibling) : parentItem(item);
  }

  firstChild(item: HTMLElement): HTMLElement | null {
    return this.shownChildren(item).first;
  }
}
