// What the host does with each message the webview sends: one typed handler per message name
// (protocol.ts's ToHost), so a new message without a handler does not compile.
import type { ToHost, ToHostMessage } from "../protocol.js";

export type PanelHandlers = { [K in keyof ToHost]: (data: ToHost[K]) => Promise<void> | void };

export async function dispatch(handlers: PanelHandlers, m: ToHostMessage): Promise<void> {
  await (handlers[m.type] as (data: ToHostMessage["data"]) => Promise<void> | void)(m.data);
}
