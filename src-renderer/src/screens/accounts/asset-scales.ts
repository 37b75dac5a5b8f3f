import { useEffect, useState } from 'react';
import { call } from '../../stores/session';

/** Decimals of each asset Bourse keeps (`assets.list`), by code. */
export type AssetScales = Readonly<Record<string, number>>;

/** The assets' decimals, read once (empty until they arrive, or when they cannot be read). */
export function useAssetScales(): AssetScales {
  const [scales, setScales] = useState<AssetScales>({});
  useEffect(() => {
    let alive = true;
    call('assets.list', {})
      .then((r) => {
        if (alive) setScales(Object.fromEntries(r.items.map((a) => [a.code, a.scale])));
      })
      .catch(() => undefined);
    return () => {
      alive = false;
    };
  }, []);
  return scales;
}
