/**
 * One CSV cell of text (RFC 4180 quoting). Text in exports is often typed by people (reasons,
 * names, strategy tags), so a cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`,
 * tab or CR first) is prefixed with an apostrophe: opening an export must not execute what
 * someone wrote. Use it for text columns only; a negative number would get the prefix too.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
