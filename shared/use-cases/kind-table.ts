/**
 * A table of handlers keyed by a union's `kind`, one handler for every kind: the compiler refuses a
 * table that lacks one (or has one for no kind), where a `switch` would quietly fall through. The
 * intents of a reply (converse/table.ts) and the sender's steps (dispatch/steps/index.ts) use it.
 */
export type KindTable<U extends { kind: string }, Context, Result> = {
  readonly [K in U['kind']]: (ctx: Context, value: Extract<U, { kind: K }>) => Result;
};

/** Runs a value through its kind's handler. */
export function runByKind<U extends { kind: string }, Context, Result>(
  table: KindTable<U, Context, Result>,
  ctx: Context,
  value: U,
): Result {
  // TypeScript does not correlate `table[value.kind]` with `value` for a generic union; the table's type
  // guarantees the handler of `value.kind` takes every value of that kind, so widening it is sound.
  const handler = table[value.kind as U['kind']] as (ctx: Context, value: U) => Result;
  return handler(ctx, value);
}
