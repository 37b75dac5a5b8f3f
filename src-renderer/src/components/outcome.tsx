/** The answer to the last action: an error (announced at once) and/or a success notice. */
export function Outcome(props: { error?: string | undefined; notice?: string | undefined }) {
  return (
    <>
      {props.error ? (
        <p className="error-text" role="alert">
          {props.error}
        </p>
      ) : null}
      {props.notice ? (
        <p className="ok-text" role="status">
          {props.notice}
        </p>
      ) : null}
    </>
  );
}
