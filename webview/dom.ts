// Element builders the panel's views share (vscode-elements controls, test ids for the e2e page
// objects). Text goes in as text nodes only.

/** The parts of vscode-elements form controls the panel uses. */
export type FormField = HTMLElement & { value: string; disabled: boolean };
export type FormButton = HTMLElement & { disabled: boolean };

export class Dom {
  constructor(readonly doc: Document) {}

  el(
    tag: string,
    props: { className?: string; testid?: string; text?: string } = {},
    ...children: Node[]
  ): HTMLElement {
    const e = this.doc.createElement(tag);
    if (props.className) e.className = props.className;
    if (props.testid) e.dataset.testid = props.testid;
    if (props.text !== undefined) e.textContent = props.text;
    e.append(...children);
    return e;
  }

  button(label: string, icon: string, testid: string, onClick: () => void, secondary = true): FormButton {
    const b = this.el("vscode-button", { testid, text: label }) as FormButton;
    b.setAttribute("icon", icon);
    if (secondary) b.setAttribute("secondary", "");
    b.addEventListener("click", () => {
      if (!b.disabled) onClick();
    });
    return b;
  }

  numberField(label: string, testid: string, limits: { min: number; max: number }, step: number): FormField {
    const f = this.el("vscode-textfield", { testid }) as FormField;
    f.setAttribute("type", "number");
    f.setAttribute("min", String(limits.min));
    f.setAttribute("max", String(limits.max));
    f.setAttribute("step", String(step));
    f.setAttribute("aria-label", label);
    f.id = `field-${testid}`;
    return f;
  }
}
