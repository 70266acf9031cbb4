/**
 * The one HTML escape for user strings (VM names, run labels, policy labels, lock names, metric names)
 * that reach ECharts' HTML tooltips: a tooltip formatter's return value is inserted as markup, and
 * the CSP stops scripts, not markup (an `<img>` or `<b>` in a VM name would otherwise render).
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!)
}
