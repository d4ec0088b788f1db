import { createHash } from 'node:crypto';
import type { AssetType, ForeignAsset } from '../../../libs/gateway/src';

// Invented but realistic-looking answers. Everything derives from a seed (reference, country,
// message number), so the same message always carries the same assets.

const CURRENCIES: Record<string, string> = {
  BR: 'BRL',
  CA: 'CAD',
  CH: 'CHF',
  GB: 'GBP',
  JP: 'JPY',
  US: 'USD',
  ZA: 'ZAR',
  AE: 'AED',
  AR: 'ARS',
  MX: 'MXN',
  NG: 'NGN',
  KE: 'KES',
  IN: 'INR',
  AU: 'AUD',
  SG: 'SGD',
  TR: 'TRY',
};
const EURO = [
  'AT',
  'BE',
  'CY',
  'DE',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PT',
  'SI',
  'SK',
];

const CITIES: Record<string, string[]> = {
  FR: ['Nice', 'Cannes', 'Paris 16e', 'Lyon'],
  BR: ['Sao Paulo', 'Rio de Janeiro', 'Florianopolis'],
  DE: ['Munich', 'Hamburg', 'Frankfurt am Main'],
  ES: ['Marbella', 'Palma de Mallorca', 'Madrid'],
  IT: ['Milan', 'Rome', 'Porto Cervo'],
  NL: ['Amsterdam', 'Rotterdam'],
  GB: ['London', 'Manchester', 'Edinburgh'],
  US: ['Miami', 'New York', 'Los Angeles'],
};

/** INTERPOL NCBs are known by the city that hosts them. */
const NCB_NAMES: Record<string, string> = {
  FR: 'NCB Paris',
  BR: 'NCB Brasilia',
  DE: 'NCB Wiesbaden',
  ES: 'NCB Madrid',
  IT: 'NCB Rome',
  NL: 'NCB The Hague',
  GB: 'NCB Manchester',
  US: 'NCB Washington',
  ZA: 'NCB Pretoria',
  CH: 'NCB Bern',
  PT: 'NCB Lisbon',
  BE: 'NCB Brussels',
  AE: 'NCB Abu Dhabi',
};

/**
 * BBAN shapes (n digit, a letter) of IBAN countries, matching validator.js's per-country formats
 * so the numbers pass silvertrace's IsIBAN. Other countries report a plain account number.
 */
const BBAN_SHAPES: Record<string, string> = {
  AE: 'n'.repeat(19),
  AT: 'n'.repeat(16),
  BE: 'n'.repeat(12),
  BR: `${'n'.repeat(23)}aa`,
  CH: 'n'.repeat(17),
  DE: 'n'.repeat(18),
  ES: 'n'.repeat(20),
  FR: 'n'.repeat(23),
  GB: `aaaa${'n'.repeat(14)}`,
  IE: `aaaa${'n'.repeat(14)}`,
  IT: `a${'n'.repeat(22)}`,
  LU: 'n'.repeat(16),
  NL: `aaaa${'n'.repeat(10)}`,
  PT: 'n'.repeat(21),
};

const BOAT_NAMES = ['Aurora', 'Sea Breeze', 'Libeccio', 'Blue Horizon', 'Stella Maris', 'Serenity'];
const CAR_MODELS = [
  'Porsche 911 Turbo S',
  'Mercedes-Benz G 63',
  'Range Rover Autobiography',
  'Ferrari Roma',
  'Bentley Bentayga',
];
const COMPANY_WORDS = ['Meridian', 'Castellan', 'Northgate', 'Albion', 'Solaris', 'Vantage'];
const COMPANY_SUFFIX: Record<string, string> = {
  FR: 'SAS',
  DE: 'GmbH',
  ES: 'S.L.',
  IT: 'S.r.l.',
  NL: 'B.V.',
  GB: 'Ltd',
  BR: 'Ltda',
  US: 'LLC',
};

export function ncbName(country: string): string {
  return NCB_NAMES[country] ?? `NCB ${country}`;
}

export function currencyOf(country: string): string {
  return EURO.includes(country) ? 'EUR' : (CURRENCIES[country] ?? 'USD');
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

class Rng {
  private buffer: Buffer;
  private pos = 0;
  constructor(private readonly seed: string) {
    this.buffer = createHash('sha256').update(seed).digest();
  }
  /** Uniform-enough integer in [0, max). */
  int(max: number): number {
    if (this.pos + 4 > this.buffer.length) {
      this.buffer = createHash('sha256').update(this.buffer).update(this.seed).digest();
      this.pos = 0;
    }
    const value = this.buffer.readUInt32BE(this.pos);
    this.pos += 4;
    return value % max;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  digits(n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += String(this.int(10));
    return out;
  }
  chars(n: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }
}

/** ISO 13616 check digits, so the IBAN passes a mod-97 check. */
function iban(country: string, shape: string, rng: Rng): string {
  const bban = [...shape].map((c) => (c === 'a' ? rng.chars(1, LETTERS) : rng.digits(1))).join('');
  const numeric = `${bban}${country}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let remainder = 0;
  for (const digit of numeric) remainder = (remainder * 10 + Number(digit)) % 97;
  return `${country}${String(98 - remainder).padStart(2, '0')}${bban}`;
}

function accountIdentifiers(country: string, rng: Rng): Record<string, string> {
  const shape = BBAN_SHAPES[country];
  return shape ? { iban: iban(country, shape, rng) } : { accountNumber: rng.digits(12) };
}

/** IMO ship numbers carry a weighted check digit. */
function imo(rng: Rng): string {
  const body = `9${rng.digits(5)}`;
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * (7 - i), 0);
  return `IMO ${body}${sum % 10}`;
}

function amount(rng: Rng, min: number, max: number): string {
  const thousands = min + rng.int(max - min);
  return `${thousands * 1000 + rng.int(10) * 100}.00`;
}

interface Context {
  country: string;
  holder?: string;
  rng: Rng;
}

const GENERATORS: Record<
  Exclude<AssetType, 'aircraft' | 'securities' | 'cash' | 'other'>,
  (c: Context) => ForeignAsset
> = {
  bank_account: ({ country, holder, rng }) => ({
    type: 'bank_account',
    description: `Current account opened ${2012 + rng.int(12)}, regular inbound transfers from offshore companies`,
    identifiers: accountIdentifiers(country, rng),
    holder,
    estimatedValue: { amount: amount(rng, 40, 900), currency: currencyOf(country) },
  }),
  real_estate: ({ country, holder, rng }) => ({
    type: 'real_estate',
    description: `Residential property in ${rng.pick(CITIES[country] ?? ['the capital'])}, ${80 + rng.int(300)} m2, bought through a nominee`,
    identifiers: { registryNumber: `${country}-LR-${rng.digits(7)}` },
    holder,
    estimatedValue: { amount: amount(rng, 600, 4500), currency: currencyOf(country) },
  }),
  vessel: ({ country, holder, rng }) => ({
    type: 'vessel',
    description: `Motor yacht "${rng.pick(BOAT_NAMES)}", ${18 + rng.int(30)} m, berthed in ${rng.pick(CITIES[country] ?? ['a national marina'])}`,
    identifiers: { imo: imo(rng) },
    holder,
    estimatedValue: { amount: amount(rng, 900, 12000), currency: currencyOf(country) },
  }),
  vehicle: ({ country, holder, rng }) => ({
    type: 'vehicle',
    description: `${rng.pick(CAR_MODELS)}, registered ${2019 + rng.int(6)}`,
    identifiers: { vin: `W${rng.chars(16, 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789')}` },
    holder,
    estimatedValue: { amount: amount(rng, 90, 320), currency: currencyOf(country) },
  }),
  company: ({ country, holder, rng }) => {
    const name = `${rng.pick(COMPANY_WORDS)} Holdings ${COMPANY_SUFFIX[country] ?? 'Ltd'}`;
    return {
      type: 'company',
      description: `${60 + rng.int(41)}% beneficial ownership of ${name}, a property holding company`,
      identifiers: { registryNumber: `${country}${rng.digits(9)}` },
      holder,
      estimatedValue: { amount: amount(rng, 250, 6000), currency: currencyOf(country) },
    };
  },
  crypto_asset: ({ country, holder, rng }) => ({
    type: 'crypto_asset',
    description: `Custodial wallet at a ${country}-registered exchange, mostly BTC and USDT`,
    identifiers: { walletAddress: `bc1q${rng.chars(38, 'qpzry9x8gf2tvdw0s3jn54khce6mua7l')}` },
    holder,
    estimatedValue: { amount: amount(rng, 30, 1500), currency: currencyOf(country) },
  }),
};

/** The subject's name as a holder, taken from the request content when it carries one. */
export function holderFrom(content: Record<string, unknown> | undefined): string | undefined {
  const subject = content?.subject as { givenNames?: unknown; familyName?: unknown } | undefined;
  if (!subject || typeof subject !== 'object') return undefined;
  const parts = [subject.givenNames, subject.familyName].filter(
    (p): p is string => typeof p === 'string' && p.length > 0,
  );
  return parts.length ? parts.join(' ') : undefined;
}

/** Assets the requester suspected in this country: a cooperative NCB confirms those first. */
function suspectedAssets(
  content: Record<string, unknown> | undefined,
  country: string,
  holder: string | undefined,
): ForeignAsset[] {
  const listed = Array.isArray(content?.assets) ? (content.assets as unknown[]) : [];
  const out: ForeignAsset[] = [];
  for (const item of listed) {
    if (!item || typeof item !== 'object') continue;
    const a = item as Record<string, unknown>;
    if (a.suspectedCountry !== country || typeof a.type !== 'string' || !(a.type in GENERATORS))
      continue;
    const description = typeof a.description === 'string' ? a.description : a.type;
    const identifiers =
      a.identifiers && typeof a.identifiers === 'object'
        ? Object.fromEntries(
            Object.entries(a.identifiers).filter(
              (e): e is [string, string] => typeof e[1] === 'string',
            ),
          )
        : undefined;
    out.push({
      type: a.type as AssetType,
      description: `Confirmed: ${description}`,
      ...(identifiers && Object.keys(identifiers).length ? { identifiers } : {}),
      ...(holder ? { holder } : {}),
    });
  }
  return out;
}

/**
 * `count` distinct plausible assets for one answer. `offset` skips assets already reported in an
 * earlier message of the same exchange (partial then final).
 */
export function plausibleAssets(args: {
  reference: string;
  country: string;
  content?: Record<string, unknown>;
  count: number;
  offset?: number;
}): ForeignAsset[] {
  const { reference, country, content, count, offset = 0 } = args;
  const holder = holderFrom(content);
  const rng = new Rng(`${reference}|${country}`);
  // A per-exchange shuffle (Fisher-Yates) keeps the asset mix varied between countries and requests.
  const types = Object.keys(GENERATORS) as (keyof typeof GENERATORS)[];
  for (let i = types.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [types[i], types[j]] = [types[j], types[i]];
  }
  const pool = [
    ...suspectedAssets(content, country, holder),
    ...types.map((type) => GENERATORS[type]({ country, holder, rng })),
  ];
  return pool.slice(offset, offset + count).map((asset) => dropUndefined(asset));
}

/** 1 or 2, fixed per (reference, country). */
export function foundCount(reference: string, country: string): number {
  return 1 + new Rng(`${reference}|${country}|count`).int(2);
}

function dropUndefined(asset: ForeignAsset): ForeignAsset {
  return Object.fromEntries(
    Object.entries(asset).filter(([, v]) => v !== undefined),
  ) as ForeignAsset;
}
