/**
 * Subscribers per stream name, for a connection shared by several subscribers (the page's one
 * WebSocket, the window's IPC bridge). The server keeps one subscription per connection and
 * stream, so a subscriber leaving must unsubscribe only the streams nobody else still wants —
 * otherwise closing one screen's subscription silently stops another's (the automation screen
 * and the desktop notifications both follow `notifications`).
 */
export class StreamRefs {
  private readonly counts = new Map<string, number>();

  /** One more subscriber of each of `streams`. */
  add(streams: readonly string[]): void {
    for (const s of new Set(streams)) this.counts.set(s, (this.counts.get(s) ?? 0) + 1);
  }

  /** One subscriber fewer of each; answers the streams that nobody wants any more. */
  remove(streams: readonly string[]): string[] {
    const unwanted: string[] = [];
    for (const s of new Set(streams)) {
      const n = (this.counts.get(s) ?? 0) - 1;
      if (n > 0) this.counts.set(s, n);
      else if (this.counts.delete(s)) unwanted.push(s);
    }
    return unwanted;
  }
}
