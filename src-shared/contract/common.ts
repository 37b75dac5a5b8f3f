import { Type, type TSchema } from '@sinclair/typebox';

/** Objects reject unknown fields everywhere: a typo must be an error, not silently dropped. */
export function Obj<P extends Record<string, TSchema>>(properties: P, description?: string) {
  return Type.Object(properties, {
    additionalProperties: false,
    ...(description ? { description } : {}),
  });
}

export const Empty = Obj({});

/** A decimal amount as a string (money never travels as a JSON number). */
export const Decimal = Type.String({
  pattern: '^-?[0-9]+(\\.[0-9]+)?$',
  description: 'Decimal number as a string, e.g. "0.015"',
  examples: ['1.25'],
});

export const PositiveDecimal = Type.String({
  pattern: '^[0-9]+(\\.[0-9]+)?$',
  description: 'Non-negative decimal number as a string',
  examples: ['1.25'],
});

export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });

/** Milliseconds since the Unix epoch. */
export const TimestampMs = Type.Integer({ minimum: 0, description: 'Unix time in milliseconds' });

export const Ok = Obj({ ok: Type.Literal(true) });

export function Page<T extends TSchema>(item: T) {
  return Obj({ items: Type.Array(item), nextCursor: Type.Optional(Type.String()) });
}
