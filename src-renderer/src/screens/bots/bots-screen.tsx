import { useEffect } from 'react';
import { useBots } from '../../stores/bots';
import { BotDetail } from './bot-detail';
import { BotForm } from './bot-form';
import { BotTable } from './bot-table';
import '../accounts/accounts.css';
import './bots.css';

/**
 * Bots: strategies running live on an account's market. The list updates from the `bots`
 * stream (every processed bar, order outcome and status change); no polling.
 */
export function BotsScreen() {
  const { load, live, loaded, error } = useBots();
  useEffect(() => live(), [live]);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section className="screen accounts bots-screen" aria-labelledby="screen-title">
      <header className="screen-header">
        <h1 id="screen-title">Bots</h1>
      </header>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      <article className="card" aria-labelledby="bots-title">
        <h2 id="bots-title">Your bots</h2>
        {loaded ? <BotTable /> : <p className="muted">Loading…</p>}
      </article>
      <BotDetail />
      <article className="card" aria-labelledby="new-bot-title">
        <h2 id="new-bot-title">New bot</h2>
        <BotForm />
      </article>
    </section>
  );
}
