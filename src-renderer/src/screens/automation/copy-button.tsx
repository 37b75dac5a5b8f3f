import { useState } from 'react';

/** Copies `text` to the clipboard and says so for a moment. */
export function CopyButton(props: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="btn small"
      onClick={() => {
        void navigator.clipboard?.writeText(props.text).then(
          () => {
            setDone(true);
            setTimeout(() => setDone(false), 1500);
          },
          () => setDone(false),
        );
      }}
    >
      {done ? 'Copied' : (props.label ?? 'Copy')}
    </button>
  );
}

/** The webhook URL for a token on a base address (local or a tunnel's public one). */
export function hookUrl(base: string, token: string | undefined): string {
  return `${base.replace(/\/+$/, '')}/hooks/tv/${token ?? '<webhook-token>'}`;
}
