/**
 * A server refusal that names a field answers the value that was sent. Once the trader edits
 * that field, the refusal no longer describes the form: it is dropped (the next send is checked
 * again). A refusal of a field the form does not show, or of none, stands until the next send.
 */

/** The form's text by the request field it is sent in. */
export type SentValues = Readonly<Record<string, string>>;

export function standingRefusal<P extends { field?: string | undefined }>(
  problem: P | undefined,
  sent: SentValues | undefined,
  now: SentValues,
): P | undefined {
  const field = problem?.field;
  if (problem === undefined || field === undefined || sent === undefined) return problem;
  if (!(field in now) || !(field in sent)) return problem;
  return now[field] === sent[field] ? problem : undefined;
}
