export const TITLE_WORDS =
  /\b(director|manager|president|vice president|vp|svp|evp|officer|ceo|cfo|cto|coo|cio|cmo|analyst|engineer|specialist|counsel|attorney|lawyer|associate|assistant|coordinator|consultant|professor|lecturer|scientist|architect|developer|programmer|administrator|admin|trader|principal|partner|head of|lead|executive|representative|supervisor|chairman|chair|founder|co-founder|owner|editor|geologist|accountant|advisor|adviser|planner|strategist|designer|researcher|student|intern|secretary|treasurer|controller|economist|broker|originator|scheduler|marketer|recruiter|clerk|technician|superintendent|commissioner|dean|chief|member of technical staff|fellow)\b/i;

export const SIGN_OFF =
  /^(thanks( again| so much)?|thank you|many thanks|cheers|best( regards| wishes)?|regards|kind regards|warm regards|sincerely|yours( truly)?|all the best|take care|talk soon|rgds|br)\b[,!.\s-]*/i;

/** A greeting opens a message ("Hi Don,"), never a name line. */
export const GREETING = /^(hi|hello|hey|hiya|dear|good (morning|afternoon|evening))\b/i;

/** Words of a sentence that no one's name holds ("I'll talk w/you later"). */
export const NEVER_IN_A_NAME =
  /(^|[^\w'])(i'm|i'll|i've|i'd|you|you're|you'll|your|me|my|we|we're|our|he|she|his|they|their|them|it|it's)(?![\w'])/i;

export const STREET =
  /\b\d{1,6}\s+([A-Za-z0-9.'-]+\s){0,5}(street|st|avenue|ave|road|rd|boulevard|blvd|suite|ste|drive|dr|lane|ln|way|plaza|parkway|pkwy|court|ct|place|pl|floor|fl|square|sq|highway|hwy|circle|center|centre)\b\.?/i;

export const CITY_STATE_ZIP =
  /\b[A-Z][a-zA-Z .'-]+,\s*([A-Z]{2}|[A-Z][a-z]+)\.?\s+\d{5}(-\d{4})?\b/;

export const URL_RE =
  /\b((?:https?:\/\/|www\.)[^\s<>()"']+|(?:[a-z0-9-]+\.)*(?:linkedin\.com|twitter\.com|x\.com)\/[^\s<>()"']+)/gi;

/** An address written to fool harvesters: "gbolcer at endeavors.com", "dana (at) x {dot} org". */
export const OBFUSCATED_EMAIL = /\s(at|@)\s+\S+\.[a-z]{2,}\b|[({](at|dot)[)}]/i;

/** An address; tried where a run of address characters starts (inside one it would fail again). */
export const EMAIL_RE = /(?<![^\s@<>()])[^\s@<>()]+@[^\s@<>()]+\.[a-z]{2,}/i;

export const PHONE_LABELS: [
  RegExp,
  'office' | 'mobile' | 'fax' | 'home' | 'pager' | 'voicemail',
][] = [
  [/\b(fax|facsimile|f)\b\.?\s*[:#]?\s*$/i, 'fax'],
  [/\b(mobile|mob|cell|cellular|cellphone|c|m|handy)\b\.?\s*[:#]?\s*$/i, 'mobile'],
  [/\b(pager|page|beeper|p)\b\.?\s*[:#]?\s*$/i, 'pager'],
  [/\b(voice ?mail|vm)\b\.?\s*[:#]?\s*$/i, 'voicemail'],
  [/\b(home|h|res|residence)\b\.?\s*[:#]?\s*$/i, 'home'],
  [
    /\b(office|work|tel|telephone|phone|ph|direct|dir|desk|main|o|t|w|business|voice|v)\b\.?\s*[:#]?\s*$/i,
    'office',
  ],
];

export const PHONE_SUFFIX_LABELS: [
  RegExp,
  'office' | 'mobile' | 'fax' | 'home' | 'pager' | 'voicemail',
][] = [
  [/^\s*\(?(fax|f)\)?\b/i, 'fax'],
  [/^\s*\(?(mobile|cell|cellular|m|c)\)?\b/i, 'mobile'],
  [/^\s*\(?(pager|p)\)?\b/i, 'pager'],
  [/^\s*\(?(home|h)\)?\b/i, 'home'],
  [/^\s*\(?(office|work|direct|phone|tel|o|w|t)\)?\b/i, 'office'],
];

/** Legal forms and institutions: a line with one of these names an organisation. */
export const STRONG_ORG =
  /\b(inc|incorporated|llc|l\.l\.c|llp|ltd|limited|corp|corporation|company|co|gmbh|ag|plc|bv|univers\w*|college|institute|bank|association|foundation|partners|associates|consultants|group|lab|labs)\b\.?/i;

/** Words that often end a company name, but also a department's. */
export const WEAK_ORG =
  /\b(services|systems|technologies|technology|solutions|consulting|energy|capital|ventures|holdings|industries|international|networks?|communications|media|software|enterprises|resources|power|utilities|pipeline|markets|trading|agency|council|commission|economics|computer)\b/i;

/** Units inside an organisation: not the company (the labels' rule too). */
export const DEPARTMENT =
  /\b(department|dept|school of|division|office of|laboratory of|lab of|faculty of|desk|support|team|operations|building|floor|room)\b/i;

/** A rank that opens a job title, whatever the role's word ("Sr. Human Resource Represenative"). */
export const SENIORITY =
  /^(sr|snr|senior|jr|junior|asst|assoc|deputy|acting|interim|exec|executive)\b\.?\s+\S/i;
