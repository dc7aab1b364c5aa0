// Plain text written by people, made safe for HTML: everything is escaped first,
// then only http(s) URLs become links. Line breaks are kept by CSS (white-space: pre-wrap).
import { escapeHtml } from '../web/view-helpers.js';

// Runs over escaped text: a URL ends at whitespace or at an escaped <, >, " or '.
const URL_IN_ESCAPED = /\bhttps?:\/\/(?:[^\s&]|&amp;)+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?)\]]+$/;

/** Escaped HTML of `text` with its http(s) URLs as links that open safely. */
export function formatText(text: string | null | undefined): string {
  return escapeHtml(text ?? '').replace(URL_IN_ESCAPED, (match) => {
    const trailing = TRAILING_PUNCTUATION.exec(match)?.[0] ?? '';
    const url = match.slice(0, match.length - trailing.length);
    return `<a href="${url}" rel="noopener noreferrer nofollow" target="_blank">${url}</a>${trailing}`;
  });
}
