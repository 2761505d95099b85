/**
 * A tiny element builder for the graphs page: text children are always text nodes, so data
 * from an archive is never parsed as HTML.
 *
 * @module
 */
/// <reference lib="dom" />

/** A child: an element, text, or nothing. */
export type Child = Node | string | number | null | undefined | false;

/**
 * Creates `<tag>` with attributes (`on…` functions become listeners) and children.
 *
 * @example
 * ```ts ignore
 * document.body.append(h("a", { href: "#/" }, "grid"));
 * ```
 */
export function h(
  tag: string,
  attrs: Record<string, string | number | boolean | EventListener | undefined> = {},
  ...children: Child[]
): HTMLElement {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, "");
    else el.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === "object" ? child : String(child));
  }
  return el;
}
