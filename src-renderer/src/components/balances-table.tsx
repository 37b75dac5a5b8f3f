import type { OperationOutput } from '../../../src-shared/contract';
import { add, decimalsOf } from '../../../src-shared/decimal';

type Balance = OperationOutput<'balances.get'>['items'][number];

/** Available and in-orders balance per asset; `withTotal` adds their exact sum. */
export function BalancesTable(props: { items: Balance[]; compact?: boolean; withTotal?: boolean }) {
  return (
    <table className={props.compact ? 'table compact' : 'table'} aria-label="Balances">
      <thead>
        <tr>
          <th>Asset</th>
          <th className="num">Available</th>
          <th className="num">In orders</th>
          {props.withTotal ? <th className="num">Total</th> : null}
        </tr>
      </thead>
      <tbody>
        {props.items.map((b) => (
          <tr key={b.asset}>
            <td>
              <strong>{b.asset}</strong>
            </td>
            <td className="num">{b.available}</td>
            <td className="num">{b.held}</td>
            {props.withTotal ? (
              // Both sides carry the asset's scale, so the sum is exact at that scale.
              <td className="num">{add(b.available, b.held, decimalsOf(b.available))}</td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
