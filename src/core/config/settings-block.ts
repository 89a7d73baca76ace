import type { z } from 'zod';

/**
 * One concern's settings: a zod object of its environment variables (each
 * documented next to its field) with a `.transform()` to the typed slice the
 * concern reads. The slice's type is `z.output<typeof block>`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any slice: the loader keeps each block's own output type
export type SettingsBlock<Slice = any> = z.ZodPipe<z.ZodObject, z.ZodTransform<Slice, any>>;

/** Named blocks, one per slice: `{ cache: cacheSettings, … }`. */
export type SettingsBlocks = Record<string, SettingsBlock>;

/**
 * The typed slice a block loads to: its transform's output, where a property
 * that may be `undefined` is an optional one (`url?: string`), as a reader of
 * the configuration expects.
 */
export type SliceOf<Block extends SettingsBlock> = OptionalWhenUndefined<z.output<Block>>;

type OptionalWhenUndefined<T> = Flat<
  { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & { [K in keyof T as undefined extends T[K] ? K : never]?: T[K] }
>;
type Flat<T> = { [K in keyof T]: T[K] };

/** What {@link SettingsBlocks} load to: each name mapped to its block's slice. */
export type LoadedSettings<Blocks extends SettingsBlocks> = { [Name in keyof Blocks]: SliceOf<Blocks[Name]> };

/** A source of environment variables, e.g. `process.env` merged with overrides. */
export type EnvSource = Record<string, string | undefined>;

/** `A | B` to `A & B` (the variables of several blocks in one object). */
type Intersection<Union> = (Union extends unknown ? (arg: Union) => void : never) extends (arg: infer All) => void ? All : never;

/** The variables of every block of `Blocks`, in one shape. */
export type VariablesOf<Blocks extends SettingsBlocks> =
  Intersection<Blocks[keyof Blocks]['in']['shape']> extends infer Shape extends z.ZodRawShape ? Shape : never;
