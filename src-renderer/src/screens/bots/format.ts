import type { Bot } from '../../stores/bots';

/** "2 h 05 min", "3 d 4 h": how long a bot has been running. */
export function uptimeText(ms: number | null): string {
  if (ms === null) return '—';
  const min = Math.floor(ms / 60_000);
  if (min < 1) return 'under a minute';
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${String(min % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** The status in words, with the reason when there is one. */
export function statusText(b: Bot): string {
  const label: Record<Bot['status'], string> = {
    created: 'created',
    running: 'running',
    paused: 'paused',
    stopped: 'stopped',
    error: 'error',
  };
  return label[b.status];
}

/** Local time of a bar close, or a dash. */
export const at = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleString());
