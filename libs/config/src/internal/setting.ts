import { z } from 'zod';

/** The kinds of setting a schema can declare. */
export type SettingKind = 'string' | 'integer' | 'duration' | 'boolean' | 'enum' | 'list' | 'url';

/**
 * One configuration setting: its environment variable, how a raw value is parsed, its default
 * and its documentation. Build settings with the `setting` builders, never by hand.
 */
export interface Setting<T> {
  readonly kind: SettingKind;
  /** Environment variable, `CIEM_<AREA>_<NAME>[_<UNIT>]`; also the key in the config file. */
  readonly env: string;
  /** Other variables read when `env` is unset in the environment, such as a standard OTel name. */
  readonly aliases: readonly string[];
  /** One sentence for the generated configuration table. */
  readonly description: string;
  /** The value used when no source sets the variable. */
  readonly defaultValue: T | undefined;
  /** True when an unset variable is allowed and yields `undefined`. */
  readonly optional: boolean;
  /** True for credentials and tokens: masked in messages, accepts `<ENV>_FILE`. */
  readonly secret: boolean;
  /** The expected form, as error messages print it, e.g. `a whole number of milliseconds ≥ 1`. */
  readonly expected: string;
  /** The type column of the generated configuration table. */
  readonly typeLabel: string;
  /** Parses a raw value: a string from the environment or a JSON value from the file. */
  readonly parser: z.ZodType<T>;
  /** Formats a value the way the environment variable spells it (lists comma-separated). */
  format(value: T): string;
}

/** Options every setting takes. */
export interface BaseSettingOptions<T> {
  env: string;
  description: string;
  default?: T;
  /** Allows the variable to stay unset with no default; the value is then `undefined`. */
  optional?: boolean;
  secret?: boolean;
  aliases?: readonly string[];
}

/** Options of `setting.integer`. `unit` is a plural noun (`records`, `bytes`) used in messages. */
export interface IntegerSettingOptions extends BaseSettingOptions<number> {
  min?: number;
  max?: number;
  unit?: string;
}

/** Options of `setting.duration`, a whole number of milliseconds. */
export type DurationSettingOptions = Omit<IntegerSettingOptions, 'unit'>;

/** Options of `setting.list`: a comma-separated value, items trimmed, empty items dropped. */
export interface ListSettingOptions extends BaseSettingOptions<readonly string[]> {
  minItems?: number;
}

/** Options of `setting.url`. `protocols` defaults to `http:` and `https:`. */
export interface UrlSettingOptions extends BaseSettingOptions<string> {
  protocols?: readonly string[];
}

/** Options of `setting.string`. */
export interface StringSettingOptions extends BaseSettingOptions<string> {
  /** Rejects an empty value; true unless set to false. */
  nonEmpty?: boolean;
}

/** The value type of a setting built with options `O`: `T`, or `T | undefined` when optional. */
export type SettingValue<T, O> = O extends { optional: true } ? T | undefined : T;

function build<T, O extends BaseSettingOptions<T>>(
  kind: SettingKind,
  options: O,
  parts: {
    expected: string;
    typeLabel: string;
    parser: z.ZodType<T>;
    format?: (value: T) => string;
  },
): Setting<SettingValue<T, O>> {
  const built: Setting<T> = {
    kind,
    env: options.env,
    aliases: options.aliases ?? [],
    description: options.description,
    defaultValue: options.default,
    optional: options.optional ?? false,
    secret: options.secret ?? false,
    expected: parts.expected,
    typeLabel: options.secret ? `${parts.typeLabel}, secret` : parts.typeLabel,
    parser: parts.parser,
    format: parts.format ?? ((value) => String(value)),
  };
  // An optional setting differs only in its type: loadConfig returns undefined when it is unset.
  return Object.freeze(built) as unknown as Setting<SettingValue<T, O>>;
}

/** Accepts a JSON string or number from the file, or a trimmed decimal string from the environment. */
const wholeNumberInput = (value: unknown): unknown => {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return /^[-+]?\d+$/.test(trimmed) ? Number(trimmed) : value;
};

function describeRange(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` ≥ ${min}`;
  if (max !== undefined) return ` ≤ ${max}`;
  return '';
}

function integerSetting<O extends IntegerSettingOptions>(kind: 'integer' | 'duration', options: O) {
  let schema = z.number().int().refine(Number.isSafeInteger);
  if (options.min !== undefined) schema = schema.min(options.min);
  if (options.max !== undefined) schema = schema.max(options.max);
  const noun = options.unit === undefined ? 'a whole number' : `a whole number of ${options.unit}`;
  return build<number, O>(kind, options, {
    expected: `${noun}${describeRange(options.min, options.max)}`,
    typeLabel: options.unit === undefined ? 'integer' : `integer (${options.unit})`,
    parser: z.preprocess(wholeNumberInput, schema),
  });
}

const booleanWords: Readonly<Record<string, boolean>> = { true: true, false: false };

/**
 * Builders for the settings of a configuration schema. Each returns a frozen `Setting` whose
 * parser is a zod type accepting the environment's string form and the file's JSON form.
 */
export const setting = {
  /** A text value; empty text is rejected unless `nonEmpty: false`. */
  string<O extends StringSettingOptions>(options: O) {
    const nonEmpty = options.nonEmpty ?? true;
    return build<string, O>('string', options, {
      expected: nonEmpty ? 'a non-empty string' : 'a string',
      typeLabel: 'string',
      parser: nonEmpty ? z.string().min(1) : z.string(),
    });
  },

  /** A whole number, optionally bounded, with an optional unit named in messages and docs. */
  integer<O extends IntegerSettingOptions>(options: O) {
    return integerSetting('integer', options);
  },

  /** A duration in whole milliseconds; the variable name ends in `_MS`. */
  duration<O extends DurationSettingOptions>(options: O) {
    return integerSetting('duration', { ...options, unit: 'milliseconds' });
  },

  /** A switch: `true` or `false` (any case); the variable name ends in `_ENABLED`. */
  boolean<O extends BaseSettingOptions<boolean>>(options: O) {
    const parser = z.preprocess(
      (value) =>
        typeof value === 'string' ? (booleanWords[value.trim().toLowerCase()] ?? value) : value,
      z.boolean(),
    );
    return build<boolean, O>('boolean', options, {
      expected: '`true` or `false`',
      typeLabel: 'boolean',
      parser,
    });
  },

  /** One of a fixed set of words, matched exactly. */
  enum<const V extends string, O extends BaseSettingOptions<V>>(
    options: O & { values: readonly V[] },
  ) {
    const values = [...options.values] as [V, ...V[]];
    return build<V, O>('enum', options, {
      expected: `one of ${values.map((value) => `\`${value}\``).join(', ')}`,
      typeLabel: `enum: ${values.join(', ')}`,
      parser: z.preprocess(
        (value) => (typeof value === 'string' ? value.trim() : value),
        z.enum(values),
      ) as unknown as z.ZodType<V>,
    });
  },

  /** A comma-separated list in the environment, or a JSON array of strings in the file. */
  list<O extends ListSettingOptions>(options: O) {
    const minItems = options.minItems ?? 0;
    const parser = z.preprocess((value) => {
      const items = typeof value === 'string' ? value.split(',') : value;
      if (!Array.isArray(items)) return items;
      return items
        .map((item: unknown) => (typeof item === 'string' ? item.trim() : item))
        .filter((item: unknown) => item !== '');
    }, z.array(z.string()).min(minItems));
    return build<readonly string[], O>('list', options, {
      expected:
        minItems > 0
          ? `a comma-separated list of at least ${minItems} item${minItems === 1 ? '' : 's'}`
          : 'a comma-separated list',
      typeLabel: 'list (comma-separated)',
      parser: parser as unknown as z.ZodType<readonly string[]>,
      format: (value) => value.join(','),
    });
  },

  /** An absolute URL whose scheme is one of `protocols` (default `http:` and `https:`). */
  url<O extends UrlSettingOptions>(options: O) {
    const protocols = options.protocols ?? ['http:', 'https:'];
    const parser = z
      .string()
      .trim()
      .refine((value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      });
    const schemes = protocols.map((protocol) => protocol.replace(/:$/, '')).join(' or ');
    return build<string, O>('url', options, {
      expected: `an absolute ${schemes} URL`,
      typeLabel: 'URL',
      parser,
    });
  },
};

/** A configuration schema: property names mapped to settings. */
export type ConfigSchema = Readonly<Record<string, Setting<unknown>>>;

/** The typed, frozen values that `loadConfig` returns for schema `S`. */
export type ConfigValues<S extends ConfigSchema> = {
  readonly [K in keyof S]: S[K] extends Setting<infer T> ? T : never;
};
