/**
 * Escaping for text that comes from result and chip files (device names,
 * labels, reasons): a device called `<script>` must render as text, in HTML
 * and in Markdown, which GitHub and most viewers read as HTML too.
 */

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an HTML element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

/**
 * Text for Markdown: HTML's special characters as entities (they render as
 * the characters themselves), and a backslash before the characters that
 * would start emphasis, strike-through, code or a link; line breaks become
 * spaces. A table's pipes are escaped by
 * renderMarkdownTable, which every table goes through.
 */
export function escapeMarkdown(text: string): string {
  return (
    text
      // a line break in a name would end a paragraph or a table row and start a heading or a list: one space
      .replace(/[\r\n]+/g, ' ')
      .replace(/[&<>]/g, (c) => HTML_ENTITIES[c]!)
      .replace(/([\\`*_[\]~])/g, '\\$1')
  );
}
