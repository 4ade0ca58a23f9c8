// Pure display helpers: ISO dates ⇄ 和暦, code values → Japanese labels.
// Storage and the API use ISO `YYYY-MM-DD`; 和暦 is for screens only (design.md, glossary).

/** One era: its name, one-letter abbreviation used on forms, and its first day (ISO). */
interface Era {
  name: string;
  letter: string;
  start: string;
}

// Era start days as in src/core/date.cpp (元号を改める政令): the first day of each era.
const ERAS: readonly Era[] = [
  { name: '令和', letter: 'R', start: '2019-05-01' },
  { name: '平成', letter: 'H', start: '1989-01-08' },
  { name: '昭和', letter: 'S', start: '1926-12-25' },
  { name: '大正', letter: 'T', start: '1912-07-30' },
  { name: '明治', letter: 'M', start: '1868-01-25' },
];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isValidYmd(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * `1950-04-01` → `昭和25年4月1日`; the first year of an era is `元年` (`2019-05-01` → `令和元年5月1日`).
 * Dates before 明治 are shown in the Western calendar (`1850年1月1日`). Returns '' for '' / null,
 * and the input unchanged when it is not an ISO date, so a bad value is visible rather than hidden.
 */
export function toWareki(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = ISO_DATE.exec(iso);
  if (!m) return iso;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!isValidYmd(y, mo, d)) return iso;
  // ISO strings of equal length compare in date order.
  const era = ERAS.find((e) => iso >= e.start);
  if (!era) return `${y}年${mo}月${d}日`;
  const n = y - Number(era.start.slice(0, 4)) + 1;
  return `${era.name}${n === 1 ? '元' : n}年${mo}月${d}日`;
}

/**
 * What staff type in a date field → ISO `YYYY-MM-DD`, or null when it is not a real date.
 * Accepts `1950-04-01`, `1950/4/1`, `19500401`, `S25.4.1` / `s25-4-1` (era letter M/T/S/H/R),
 * and `昭和25年4月1日` / `令和元年5月1日`. A 和暦 date outside its era (平成32年) is rejected.
 */
export function parseDateInput(text: string): string | null {
  const s = text.trim().normalize('NFKC');
  let y: number, mo: number, d: number;
  let era: Era | undefined;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(s)) || (m = /^(\d{4})(\d{2})(\d{2})$/.exec(s))) {
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else if ((m = /^([MTSHR])(\d{1,2}|元)[-/.](\d{1,2})[-/.](\d{1,2})$/i.exec(s))) {
    era = ERAS.find((e) => e.letter === m![1].toUpperCase());
    [y, mo, d] = [m[2] === '元' ? 1 : Number(m[2]), Number(m[3]), Number(m[4])];
  } else if ((m = /^(令和|平成|昭和|大正|明治)(\d{1,2}|元)年(\d{1,2})月(\d{1,2})日$/.exec(s))) {
    era = ERAS.find((e) => e.name === m![1]);
    [y, mo, d] = [m[2] === '元' ? 1 : Number(m[2]), Number(m[3]), Number(m[4])];
  } else {
    return null;
  }
  if (era) {
    if (y < 1) return null;
    y = Number(era.start.slice(0, 4)) + y - 1;
  }
  if (!isValidYmd(y, mo, d)) return null;
  const iso = `${String(y).padStart(4, '0')}-${pad2(mo)}-${pad2(d)}`;
  if (era) {
    const next = ERAS[ERAS.indexOf(era) - 1];
    if (iso < era.start || (next && iso >= next.start)) return null;
  }
  return iso;
}

/** `2026-11-24T03:15:00Z` or `2026-11-24 03:15:00` → `2026-11-24 03:15` (as sent; no time-zone math). */
export function formatTimestamp(ts: string | null | undefined): string {
  if (!ts) return '';
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(ts);
  return m ? `${m[1]} ${m[2]}` : ts;
}

/** 住基 sex code: '1' 男, '2' 女. */
export function sexLabel(code: string | null | undefined): string {
  return code === '1' ? '男' : code === '2' ? '女' : (code ?? '');
}

const ROLE_LABELS: Record<string, string> = {
  eligibility_staff: '資格担当',
  premium_staff: '賦課担当',
  certification_staff: '認定担当',
  benefit_staff: '給付担当',
  supervisor: '監督者',
  auditor: '監査担当',
  administrator: 'システム管理者',
};

/** Role string → Japanese name; an unknown role is shown as sent. */
export function roleLabel(role: string): string {
  return ROLE_LABELS[role] ?? role;
}

const REGISTRY_STATUS_LABELS: Record<string, string> = {
  resident: '住民',
  moved_out: '転出',
  deceased: '死亡',
  non_registered: '住登外',
};

/** person.registry_status → 住民 / 転出 / 死亡 / 住登外. */
export function registryStatusLabel(status: string | null | undefined): string {
  return REGISTRY_STATUS_LABELS[status ?? ''] ?? status ?? '';
}

const REASON_LABELS: Record<string, string> = {
  move_in: '転入',
  move_out: '転出',
  relocation: '転居',
  death: '死亡',
  birth: '出生',
};

/** person_history.reason (movement kind or a correction text) → Japanese. */
export function reasonLabel(reason: string | null | undefined): string {
  return REASON_LABELS[reason ?? ''] ?? reason ?? '';
}

/** flow.state → label; "not_yet" is said plainly: 未実装. */
export function flowStateLabel(state: string): string {
  return state === 'implemented' ? '実装済' : state === 'not_yet' ? '未実装' : state;
}

/** Integer with thousands separators (件数). */
export function formatCount(n: number): string {
  return n.toLocaleString('ja-JP');
}

/**
 * What staff type in the カナ氏名 field → the form stored in person.name_kana (full-width
 * katakana): hiragana become katakana and half-width katakana become full-width.
 * Spaces are left as typed.
 */
export function normalizeKana(text: string): string {
  return text
    .trim()
    .replace(/[\uFF61-\uFF9F]+/g, (run) => run.normalize('NFKC'))
    .replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
}

/** 郵便番号 `2925400` → `〒292-5400`; anything that is not 7 digits is shown as sent after 〒. */
export function formatPostalCode(code: string | null | undefined): string {
  if (!code) return '';
  return /^\d{7}$/.test(code) ? `〒${code.slice(0, 3)}-${code.slice(3)}` : `〒${code}`;
}
