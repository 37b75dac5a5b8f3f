/** What a screen says while its capability is not in this build: plainly, with no fake data. */
export function NotBuilt(props: { title: string; what: string; needs: string }) {
  return (
    <section className="screen" aria-labelledby="screen-title">
      <header className="screen-header">
        <h1 id="screen-title">{props.title}</h1>
      </header>
      <div className="empty-state" role="status">
        <div className="empty-icon" aria-hidden="true">
          ◇
        </div>
        <h2>Not available in this build yet</h2>
        <p>{props.what}</p>
        <p className="muted">{props.needs}</p>
      </div>
    </section>
  );
}
