// A reply's own words: what a mail client quotes below (or above) them is cut. Pure, so the shapes of Gmail, Outlook
// and Apple Mail in Spanish, English and Portuguese are unit-tested (tests/unit/inbound-quotes.test.ts).

/** "On … wrote:", "El … escribió:", "Em … escreveu:" (Gmail and Apple Mail; Gmail may wrap it over lines). */
const ATTRIBUTION_START = /^(on|el|em|le|am)\s/i;
const ATTRIBUTION_END = /(wrote|escribió|escreveu|a écrit|schrieb)\s*:\s*$/i;
/** Outlook's and older clients' separators, and a signature's "-- ". */
const SEPARATOR = /^(-{2,}\s*(original message|mensaje original|mensagem original)\s*-{2,}|--)$/i;
/** Outlook's header block of the quoted message: "De:" / "From:" followed by "Enviado:" / "Sent:"… */
const HEADER_FROM = /^\*?(de|from)\s*:\*?\s/i;
const HEADER_NEXT = /^\*?(enviado|enviada em|sent|date|fecha|data|para|to|asunto|subject|assunto|cc)\s*:/i;
/** Outlook's rule above the header block. */
const RULE = /^_{8,}$/;
/** A phone client's signature line ("Enviado desde mi iPhone"). */
const SENT_FROM = /^(sent from my|enviado desde mi|enviado do meu)\s.{1,40}$/i;

function quoteStartsAt(lines: readonly string[], i: number): boolean {
  const line = lines[i]!.trim();
  if (SEPARATOR.test(line)) return true;
  if (ATTRIBUTION_START.test(line)) {
    // The attribution ends on this line or one of the next two (Gmail wraps long ones), with no blank line between.
    let joined = line;
    for (let k = i; k < Math.min(lines.length, i + 3); k++) {
      if (k > i) {
        const next = lines[k]!.trim();
        if (next === '') break;
        joined += ` ${next}`;
      }
      if (ATTRIBUTION_END.test(joined)) return true;
    }
  }
  const nextFilled = lines.slice(i + 1).find((l) => l.trim() !== '') ?? '';
  if (RULE.test(line) && HEADER_FROM.test(nextFilled.trim())) return true;
  if (HEADER_FROM.test(line)) return lines.slice(i + 1, i + 5).some((l) => HEADER_NEXT.test(l.trim()));
  return false;
}

/**
 * The text of a reply without the quoted history: everything from the first attribution line ("El … escribió:",
 * "On … wrote:"), separator ("-----Original Message-----", a signature's "--") or Outlook header block ("De: …" then
 * "Enviado: …") on is cut, lines quoted with ">" are dropped, and a trailing "Enviado desde mi iPhone" goes too.
 */
export function stripQuoted(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    if (quoteStartsAt(lines, i)) {
      end = i;
      break;
    }
  }
  const kept = lines.slice(0, end).filter((l) => !/^\s*>/.test(l));
  while (kept.length && (kept.at(-1)!.trim() === '' || SENT_FROM.test(kept.at(-1)!.trim()))) kept.pop();
  while (kept.length && kept[0]!.trim() === '') kept.shift();
  return kept.map((l) => l.trimEnd()).join('\n');
}
