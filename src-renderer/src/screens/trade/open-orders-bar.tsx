import { useEffect, useRef, useState } from 'react';

/**
 * The open-orders count and the cancel buttons (the selected ones, all of this market). Cancel
 * all asks first, in the bar itself: "Cancel all 9 open orders in BTC/USDT?" with a button
 * that does it and one (focused, as Escape) that keeps them.
 */
export function OpenOrdersBar(props: {
  open: number;
  selected: number;
  symbol: string;
  /** Open orders in this market. */
  here: number;
  /** A new action starts: the last one's outcome no longer describes the table. */
  onStart: () => void;
  onCancelPicked: () => void;
  onCancelAll: () => void;
}) {
  // The market the question was asked for: switching markets drops it.
  const [asking, setAsking] = useState<string>();
  const confirming = asking === props.symbol && props.here > 0;
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) keep.current?.focus();
  }, [confirming]);
  const orders = `${props.here} open order${props.here === 1 ? '' : 's'}`;
  return (
    <div className="row between open-orders-bar">
      <span className="muted">{props.open} open</span>
      {confirming ? (
        <div
          className="row tight confirm-bar"
          role="group"
          aria-label="Confirm cancel all"
          onKeyDown={(e) => {
            if (e.key === 'Escape') setAsking(undefined);
          }}
        >
          <span>
            Cancel all {orders} in {props.symbol}?
          </span>
          <button
            type="button"
            className="btn small danger"
            onClick={() => {
              setAsking(undefined);
              props.onCancelAll();
            }}
          >
            Yes, cancel all
          </button>
          <button
            ref={keep}
            type="button"
            className="btn small"
            onClick={() => setAsking(undefined)}
          >
            Keep them
          </button>
        </div>
      ) : (
        <div className="row tight">
          {props.selected > 0 ? (
            <button type="button" className="btn small danger" onClick={props.onCancelPicked}>
              Cancel {props.selected} selected
            </button>
          ) : null}
          <button
            type="button"
            className="btn small danger"
            disabled={props.here === 0}
            onClick={() => {
              props.onStart();
              setAsking(props.symbol);
            }}
          >
            Cancel all {props.symbol}
          </button>
        </div>
      )}
    </div>
  );
}
