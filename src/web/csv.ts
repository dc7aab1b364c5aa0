// Cells of every CSV the app writes. A spreadsheet runs a cell starting with = + - @ (or a
// tab or carriage return before one) as a formula: such text is prefixed with a quote
// (OWASP, "CSV injection"). Numbers, and text that is only a number ("-5", "-1,5"), stay.
export type CsvCell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(?:[.,]\d+)?$/;

/** The cell as written: text a spreadsheet would run as a formula starts with `'`. */
export function safeCsvCell(cell: CsvCell): CsvCell {
  return typeof cell === 'string' && FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}
